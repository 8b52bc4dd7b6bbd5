package dev.graft.testmodels;

/** A tensor's values produced front to back in row-major order, a window at a time. */
interface TensorValues {
    /** Writes the next {@code count} values into {@code dst[0…count)}. */
    void next(float[] dst, int count);
}
