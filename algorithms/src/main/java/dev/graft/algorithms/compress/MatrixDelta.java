package dev.graft.algorithms.compress;

import dev.graft.formats.tensor.Tensor;

/**
 * The delta {@code Δ = tuned − base} of one weight matrix, read from the two (memory-mapped) tensors in float32,
 * chunk by chunk in row-major order, as often as a method needs passes over it. Nothing of the size of the matrix
 * is held unless a method asks for it ({@link #toArray()}).
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
    /** Where the delta is, once a pass has filled {@link #cacheTarget}. */
    private float[] cached;
    private float[] cacheTarget;

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
        var dtype = dev.graft.formats.dtype.DType.F32;
        var shape = dev.graft.formats.tensor.Shape.of(rows, cols);
        return new MatrixDelta(Tensor.fromFloats(name, dtype, shape, base), Tensor.fromFloats(name, dtype, shape, tuned));
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
    public dev.graft.formats.dtype.DType dtype() {
        return tuned.dtype();
    }

    /** Elements, {@code rows × cols}. */
    public long size() {
        return (long) rows * cols;
    }

    /**
     * Keeps the delta in {@code buffer} as the next pass reads it, so that later passes read memory instead of
     * decoding and subtracting again: for methods that make several passes (top-k selection). The buffer may be
     * reused across matrices; it must not change while this delta is in use.
     *
     * @param buffer at least {@link #size()} elements
     */
    public void cacheIn(float[] buffer) {
        if (buffer.length < size()) {
            throw new IllegalArgumentException("cache of " + buffer.length + " elements for " + size());
        }
        if (cached == null) {
            cacheTarget = buffer;
        }
    }

    /** One pass over the delta in row-major order. */
    public void scan(Visitor visitor) {
        long n = size();
        if (cached != null) {
            float[] d = new float[(int) Math.min(CHUNK, Math.max(1, n))];
            for (int first = 0; first < n; first += d.length) {
                int count = (int) Math.min(d.length, n - first);
                System.arraycopy(cached, first, d, 0, count);
                visitor.visit(first, d, count);
            }
            return;
        }
        int len = (int) Math.min(CHUNK, n);
        float[] d = new float[len];
        float[] b = new float[len];
        for (long first = 0; first < n; first += len) {
            int count = (int) Math.min(len, n - first);
            tuned.readFloats(first, d, 0, count);
            base.readFloats(first, b, 0, count);
            for (int i = 0; i < count; i++) {
                d[i] -= b[i];
            }
            if (cacheTarget != null) {
                System.arraycopy(d, 0, cacheTarget, (int) first, count);
            }
            visitor.visit(first, d, count);
        }
        if (cacheTarget != null) {
            cached = cacheTarget;
            cacheTarget = null;
        }
    }

    /** The whole delta as a native matrix, for methods that factor it (SVD). The caller closes it. */
    public dev.graft.linalg.Matrix toMatrix(dev.graft.linalg.LinearAlgebra la) {
        dev.graft.linalg.Matrix m = la.zeros(rows, cols);
        java.lang.foreign.MemorySegment data = m.data();
        scan((first, delta, count) -> java.lang.foreign.MemorySegment.copy(delta, 0, data,
                dev.graft.linalg.Matrix.ELEMENT, first * Float.BYTES, count));
        return m;
    }

    /**
     * The whole delta, row-major, as a Java array (tests, small matrices).
     *
     * @throws ArithmeticException when it exceeds a Java array
     */
    public float[] toArray() {
        float[] all = new float[Math.toIntExact(size())];
        scan((first, delta, count) -> System.arraycopy(delta, 0, all, (int) first, count));
        return all;
    }
}
