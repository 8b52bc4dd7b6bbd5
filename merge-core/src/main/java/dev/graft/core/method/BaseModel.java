package dev.graft.core.method;

/** What a method needs of the base model. */
public enum BaseModel {
    /** Task-vector methods: the base defines the deltas; the plan fails without one. */
    REQUIRED,
    /** Used when given (slerp interpolates from it; linear counts it as one more input). */
    OPTIONAL,
}
