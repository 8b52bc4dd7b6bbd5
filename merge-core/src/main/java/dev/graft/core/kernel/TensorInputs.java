package dev.graft.core.kernel;

import dev.graft.formats.tensor.Shape;

/**
 * The inputs of one output tensor, as float32, readable front to back in row-aligned chunks as many times as a
 * method needs: statistics passes (thresholds, norms, cosines) before the pass that writes the output. Memory stays
 * at one chunk per input whatever the tensor's size.
 *
 * <p>Input {@code i} is the i-th model of the task (see {@link TensorParameters}); {@link #baseIndex()} tells which
 * one is the base model, if any. All inputs have the same logical {@link #shape()}: for embeddings of different
 * vocabulary sizes it is the common submatrix.
 */
public interface TensorInputs {
    /** Number of inputs. */
    int count();

    /** Index of the base model's input, or -1 when the task has none. */
    int baseIndex();

    /** The logical shape every input is read as. */
    Shape shape();

    default long elements() {
        return shape().elementCount();
    }

    /** Elements per row: the last dimension (a 1-D or scalar tensor is one row). Chunks hold whole rows. */
    long rowLength();

    /** The largest chunk {@link #scan} hands over, so kernels size their buffers once. */
    int maxChunk();

    /** Reads every element of every input once, in order, chunk by chunk. */
    void scan(ChunkVisitor visitor);

    /**
     * As {@link #scan}, for the last time: no scan may follow, so nothing read needs keeping for one. A kernel's
     * final pass (its only one, for single-pass methods) reads through this, and the inputs then stream through
     * chunk-sized buffers that stay in cache instead of filling whole-tensor arrays no pass will read again.
     */
    default void lastScan(ChunkVisitor visitor) {
        scan(visitor);
    }
}
