package dev.graft.linalg;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A dense float32 matrix in row-major order, held in native memory by a {@link LinearAlgebra} backend.
 *
 * <p>Matrices own native memory: close them as soon as they are no longer needed (try-with-resources), since a
 * 4096×4096 matrix holds 64 MiB outside the Java heap. {@link #data()} exposes the elements for bulk reads and
 * writes from plain Java loops; the segment is valid until the matrix is closed.
 *
 * <pre>{@code
 * LinearAlgebra la = LinearAlgebra.get();
 * try (Matrix a = la.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
 *      Matrix g = la.multiply(a, false, a, true)) {   // a·aᵀ, 2×2
 *     float g01 = g.get(0, 1);                         // 32
 * }
 * }</pre>
 */
public interface Matrix extends AutoCloseable {
    /** The layout of one element in {@link #data()}: float32, native byte order. */
    ValueLayout.OfFloat ELEMENT = ValueLayout.JAVA_FLOAT;

    /** The number of rows. */
    int rows();

    /** The number of columns. */
    int cols();

    /**
     * The elements, row-major: element (r, c) is at float index {@code r * cols() + c}. Writes through the segment
     * change the matrix. The segment must not be used after {@link #close()}.
     */
    MemorySegment data();

    /** The element at row {@code r}, column {@code c}. */
    default float get(int r, int c) {
        checkIndex(r, c);
        return data().getAtIndex(ELEMENT, (long) r * cols() + c);
    }

    /** Sets the element at row {@code r}, column {@code c}. */
    default void set(int r, int c, float value) {
        checkIndex(r, c);
        data().setAtIndex(ELEMENT, (long) r * cols() + c, value);
    }

    /** A row-major copy of the elements on the heap. */
    default float[] toArray() {
        return data().toArray(ELEMENT);
    }

    /** The squared Frobenius norm Σ a_ij², accumulated in double. */
    default double frobeniusNormSquared() {
        MemorySegment d = data();
        long n = (long) rows() * cols();
        double sum = 0;
        for (long i = 0; i < n; i++) {
            double v = d.getAtIndex(ELEMENT, i);
            sum += v * v;
        }
        return sum;
    }

    /** The backend that holds this matrix; results of operations on it come from the same backend. */
    LinearAlgebra backend();

    /** A new matrix holding the transpose. */
    Matrix transpose();

    /** A new matrix holding a copy of this one. */
    Matrix copy();

    /** Releases the native memory; later calls on this matrix fail or read garbage. Idempotent. */
    @Override
    void close();

    private void checkIndex(int r, int c) {
        if (r < 0 || r >= rows() || c < 0 || c >= cols()) {
            throw new IndexOutOfBoundsException("(" + r + ", " + c + ") outside a " + rows() + "×" + cols() + " matrix");
        }
    }
}
