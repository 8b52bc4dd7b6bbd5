package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.ChunkVisitor;
import dev.graft.core.kernel.TensorInputs;
import dev.graft.formats.tensor.Shape;

/** In-memory inputs for kernel unit tests: one chunk per {@code rowsPerChunk} rows. */
final class ArrayInputs implements TensorInputs {
    private final float[][] values;
    private final int base;
    private final Shape shape;
    private final int rowsPerChunk;

    ArrayInputs(Shape shape, int base, int rowsPerChunk, float[]... values) {
        this.values = values;
        this.base = base;
        this.shape = shape;
        this.rowsPerChunk = rowsPerChunk;
    }

    @Override
    public int count() {
        return values.length;
    }

    @Override
    public int baseIndex() {
        return base;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public long rowLength() {
        return shape.rank() == 0 ? 1 : shape.dim(shape.rank() - 1);
    }

    @Override
    public int maxChunk() {
        return (int) Math.min(shape.elementCount(), rowsPerChunk * rowLength());
    }

    @Override
    public void scan(ChunkVisitor visitor) {
        // Hands the arrays over in place, as cached inputs are: kernels must honour the offset.
        int n = (int) shape.elementCount();
        int chunk = maxChunk();
        for (int first = 0; first < n; first += chunk) {
            visitor.visit(first, Math.min(chunk, n - first), values, first);
        }
    }
}
