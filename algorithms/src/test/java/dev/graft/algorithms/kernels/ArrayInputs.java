package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.ChunkVisitor;
import dev.graft.core.kernel.TensorInputs;
import dev.graft.formats.tensor.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * In-memory inputs for kernel unit tests: one chunk per {@code rowsPerChunk} rows. They keep the executor's
 * contract that nothing is scanned after {@link #lastScan}, so every kernel test also checks its kernel honours it,
 * and record the passes a kernel made.
 */
final class ArrayInputs implements TensorInputs {
    private final float[][] values;
    private final int base;
    private final Shape shape;
    private final int rowsPerChunk;
    private final List<String> passes = new ArrayList<>();

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

    /** The passes made so far, in order: "scan" or "last". */
    List<String> passes() {
        return List.copyOf(passes);
    }

    @Override
    public void scan(ChunkVisitor visitor) {
        pass("scan", visitor);
    }

    @Override
    public void lastScan(ChunkVisitor visitor) {
        pass("last", visitor);
    }

    private void pass(String kind, ChunkVisitor visitor) {
        if (passes.contains("last")) {
            throw new IllegalStateException("tensor \"t\": scanned again after its last scan");
        }
        passes.add(kind);
        // Hands the arrays over in place, as cached inputs are: kernels must honour the offset.
        int n = (int) shape.elementCount();
        int chunk = maxChunk();
        for (int first = 0; first < n; first += chunk) {
            visitor.visit(first, Math.min(chunk, n - first), values, first);
        }
    }
}
