package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorInputs;

/**
 * How {@link DeltaScan} and {@link PointScan} cut a tensor's chunks: blocks of whole rows of about
 * {@value #TARGET} elements (64 KiB of float32 per input), so that a kernel's loops over several inputs' blocks
 * find them in the L2 cache instead of streaming megabytes per loop.
 */
final class RowBlocks {
    /** Elements per block when rows are short enough. */
    static final int TARGET = 1 << 14;

    private RowBlocks() {
    }

    /** The most elements a block of these inputs holds: whole rows, at least one, at most a chunk. */
    static int length(TensorInputs inputs) {
        long row = Math.max(1, inputs.rowLength());
        long rows = Math.max(1, TARGET / row);
        return (int) Math.min(inputs.maxChunk(), rows * row);
    }

    /** The input indices {@code 0 … count−1} except {@code skip} (which may be −1: none skipped), in order. */
    static int[] allBut(int count, int skip) {
        int[] out = new int[count - (skip >= 0 && skip < count ? 1 : 0)];
        for (int i = 0, k = 0; i < count; i++) {
            if (i != skip) {
                out[k++] = i;
            }
        }
        return out;
    }
}
