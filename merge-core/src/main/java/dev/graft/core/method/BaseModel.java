package dev.graft.core.method;

/** What a method needs of the base model. */
public enum BaseModel {
    /** Task-vector methods: the base defines the deltas; the plan fails without one. */
    REQUIRED,
    /**
     * Used when given among the models (linear counts it as one more input); a recipe's {@code base_model} that is
     * not also listed under {@code models} is left out, since the method does not compute with a base.
     */
    OPTIONAL,
    /**
     * Optional, and an input whenever given, listed under {@code models} or not, as mergekit appends an unlisted
     * base: nuslerp and multislerp take task vectors from it, karcher averages it as one more model.
     */
    OPTIONAL_INPUT,
}
