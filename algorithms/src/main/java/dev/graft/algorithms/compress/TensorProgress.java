package dev.graft.algorithms.compress;

import dev.graft.formats.tensor.TensorSpec;

/** Hears how a compression or decompression progresses, tensor by tensor; called from worker threads. */
public interface TensorProgress {
    /** Before the first tensor. */
    default void started(int tensors, long bytes) {
    }

    /** After a tensor was written ({@code spec}: the fine-tuned tensor). */
    default void tensorDone(TensorSpec spec) {
    }

    /** After the output was published. */
    default void finished() {
    }

    /** A listener that ignores everything. */
    TensorProgress NONE = new TensorProgress() {
    };
}
