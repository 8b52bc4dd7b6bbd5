package dev.graft.algorithms.compress;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.ReleaseBehind;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;

import java.lang.foreign.MemorySegment;

/**
 * The delta {@code Δ = tuned − base} of one weight matrix, read from the two (memory-mapped) tensors in float32,
 * chunk by chunk in row-major order, as often as a method needs passes over it. Nothing of the size of the matrix
 * is held unless a method asks for it ({@link #readInto}, {@link #toMatrix}), and a large matrix's mapped pages
 * leave resident memory behind each pass ({@link ReleaseBehind}).
 */
public final class MatrixDelta {
    /** Elements per chunk: a multiple of 8, so each chunk's sign bits fill whole bytes. */
    static final int CHUNK = 1 << 16;

    /** Receives one chunk of the delta. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param first index of the chunk's first element (a multiple of 8)
         * @param delta {@code delta[0..count)}: the chunk (the buffer is reused; the visitor may modify it)
         * @param count elements in the chunk
         */
        void visit(long first, float[] delta, int count);
    }

    private final String name;
    private final Tensor base;
    private final Tensor tuned;
    private final int rows;
    private final int cols;

    /**
     * @param base  the base tensor, of the same shape as {@code tuned}
     * @param tuned the fine-tuned 2-D tensor
     */
    public MatrixDelta(Tensor base, Tensor tuned) {
        if (tuned.shape().rank() != 2 || !tuned.shape().equals(base.shape())) {
            throw new IllegalArgumentException(tuned.name() + ": not a matrix of the base's shape: " + tuned.shape()
                    + " vs " + base.shape());
        }
        this.name = tuned.name();
        this.base = base;
        this.tuned = tuned;
        this.rows = Math.toIntExact(tuned.shape().dim(0));
        this.cols = Math.toIntExact(tuned.shape().dim(1));
    }

    /** A delta given directly (tests, benchmarks of the codecs alone). */
    public static MatrixDelta of(String name, float[] base, float[] tuned, int rows, int cols) {
        Shape shape = Shape.of(rows, cols);
        return new MatrixDelta(Tensor.fromFloats(name, DType.F32, shape, base),
                Tensor.fromFloats(name, DType.F32, shape, tuned));
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The fine-tune's element type (what decompression writes). */
    public DType dtype() {
        return tuned.dtype();
    }

    /** Elements, {@code rows × cols}. */
    public long size() {
        return (long) rows * cols;
    }

    /** Receives a range of the delta in place: {@code values[from .. from+count)} are elements {@code first…}. */
    @FunctionalInterface
    public interface RangeVisitor {
        void visit(long first, float[] values, int from, int count);
    }

    /**
     * One pass that also leaves the whole delta in {@code buffer[0 .. size())}: each chunk is decoded straight into
     * its place and visited there, so methods that make further passes (top-k selection) read memory afterwards
     * instead of the models.
     *
     * @param buffer at least {@link #size()} elements (may be reused from matrix to matrix)
     */
    public void readInto(float[] buffer, RangeVisitor visitor) {
        long n = size();
        if (buffer.length < n) {
            throw new IllegalArgumentException("buffer of " + buffer.length + " elements for " + n);
        }
        float[] b = new float[(int) Math.min(CHUNK, Math.max(1, n))];
        ReleaseBehind tunedRead = new ReleaseBehind(tuned);
        ReleaseBehind baseRead = new ReleaseBehind(base);
        for (int first = 0; first < n; first += b.length) {
            int count = (int) Math.min(b.length, n - first);
            tuned.readFloats(first, buffer, first, count);
            base.readFloats(first, b, 0, count);
            for (int i = 0; i < count; i++) {
                buffer[first + i] -= b[i];
            }
            visitor.visit(first, buffer, first, count);
            tunedRead.readUpTo(first + count);
            baseRead.readUpTo(first + count);
        }
    }

    /** One pass over the delta in row-major order. */
    public void scan(Visitor visitor) {
        long n = size();
        int len = (int) Math.min(CHUNK, n);
        float[] d = new float[len];
        float[] b = new float[len];
        ReleaseBehind tunedRead = new ReleaseBehind(tuned);
        ReleaseBehind baseRead = new ReleaseBehind(base);
        for (long first = 0; first < n; first += len) {
            int count = (int) Math.min(len, n - first);
            tuned.readFloats(first, d, 0, count);
            base.readFloats(first, b, 0, count);
            for (int i = 0; i < count; i++) {
                d[i] -= b[i];
            }
            visitor.visit(first, d, count);
            tunedRead.readUpTo(first + count);
            baseRead.readUpTo(first + count);
        }
    }

    /** The whole delta as a native matrix, for methods that factor it (SVD). The caller closes it. */
    public Matrix toMatrix(LinearAlgebra la) {
        Matrix m = la.zeros(rows, cols);
        MemorySegment data = m.data();
        scan((first, delta, count) -> MemorySegment.copy(delta, 0, data, Matrix.ELEMENT, first * Float.BYTES, count));
        return m;
    }
}
