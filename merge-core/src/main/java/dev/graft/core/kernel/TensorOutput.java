package dev.graft.core.kernel;

/** Where a kernel writes its result: every element once, in order, as float32 (rounded to the output dtype later). */
@FunctionalInterface
public interface TensorOutput {
    void write(float[] values, int from, int count);
}
