package dev.graft.algorithms.compress;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;

import java.lang.foreign.MemorySegment;

/**
 * Decodes a low-rank delta {@code Δ̂ = L·R} (L: rows × r, R: r × cols) front to back, a block of rows at a time,
 * so the full product never exists at once. Owns and closes both factors.
 */
final class FactorProduct implements DeltaDecoder {
    /** Elements per computed block, about: a few MB of floats. */
    private static final long BLOCK_ELEMENTS = 1 << 20;

    private final LinearAlgebra la;
    private final Matrix left;
    private final Matrix right;
    private final int rows;
    private final int cols;
    private final int rank;
    private final int blockRows;
    private Matrix block;
    private int blockStart = -1;
    private int blockEnd = -1;

    FactorProduct(LinearAlgebra la, Matrix left, Matrix right) {
        if (left.cols() != right.rows()) {
            throw new IllegalArgumentException("factors " + left.rows() + "×" + left.cols() + " and " + right.rows()
                    + "×" + right.cols() + " do not multiply");
        }
        this.la = la;
        this.left = left;
        this.right = right;
        this.rows = left.rows();
        this.cols = right.cols();
        this.rank = left.cols();
        this.blockRows = (int) Math.max(1, Math.min(rows, BLOCK_ELEMENTS / Math.max(1, cols)));
    }

    @Override
    public void addTo(long first, float[] values, int count) {
        if (rank == 0) {
            return;
        }
        int k = 0;
        while (k < count) {
            long i = first + k;
            int row = (int) (i / cols);
            ensure(row);
            long offset = i - (long) blockStart * cols;
            int n = (int) Math.min(count - k, (long) (blockEnd - blockStart) * cols - offset);
            MemorySegment d = block.data();
            for (int j = 0; j < n; j++) {
                values[k + j] += d.getAtIndex(Matrix.ELEMENT, offset + j);
            }
            k += n;
        }
    }

    private void ensure(int row) {
        if (row >= blockStart && row < blockEnd) {
            return;
        }
        if (block != null) {
            block.close();
            block = null;
        }
        blockStart = row;
        blockEnd = Math.min(rows, row + blockRows);
        try (Matrix slice = la.zeros(blockEnd - blockStart, rank)) {
            MemorySegment.copy(left.data(), (long) blockStart * rank * Float.BYTES, slice.data(), 0,
                    (long) (blockEnd - blockStart) * rank * Float.BYTES);
            block = la.multiply(slice, false, right, false);
        }
    }

    @Override
    public void close() {
        if (block != null) {
            block.close();
        }
        left.close();
        right.close();
    }
}
