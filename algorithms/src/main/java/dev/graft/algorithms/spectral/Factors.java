package dev.graft.algorithms.spectral;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;

import java.lang.foreign.MemorySegment;

/**
 * The matrix steps the SVD merges share: placing singular vectors side by side and rebuilding
 * {@code U·diag(s)·Vᵀ} (the polar factor that orthogonalises them is {@link SvdPolicy#polar}).
 */
final class Factors {
    private Factors() {
    }

    /** Copies the first {@code k} columns of {@code src} into columns {@code [at, at + k)} of {@code dst}. */
    static void putColumns(Matrix src, int k, Matrix dst, int at) {
        long rowBytes = (long) k * Float.BYTES;
        for (int r = 0; r < src.rows(); r++) {
            MemorySegment.copy(src.data(), (long) r * src.cols() * Float.BYTES, dst.data(),
                    ((long) r * dst.cols() + at) * Float.BYTES, rowBytes);
        }
    }

    /** Copies the first {@code k} rows of {@code src} into rows {@code [at, at + k)} of {@code dst}. */
    static void putRows(Matrix src, int k, Matrix dst, int at) {
        MemorySegment.copy(src.data(), 0, dst.data(), (long) at * dst.cols() * Float.BYTES,
                (long) k * src.cols() * Float.BYTES);
    }

    /** {@code u · diag(s) · vt}; {@code u} is scaled in place. */
    static Matrix rebuild(LinearAlgebra la, Matrix u, float[] s, Matrix vt) {
        MemorySegment d = u.data();
        int cols = u.cols();
        for (long r = 0; r < u.rows(); r++) {
            for (int c = 0; c < cols; c++) {
                long i = r * cols + c;
                d.setAtIndex(Matrix.ELEMENT, i, d.getAtIndex(Matrix.ELEMENT, i) * s[c]);
            }
        }
        return la.multiply(u, false, vt, false);
    }

    /** {@code factor · a}, in place. */
    static void scale(Matrix a, float factor) {
        MemorySegment d = a.data();
        long n = (long) a.rows() * a.cols();
        for (long i = 0; i < n; i++) {
            d.setAtIndex(Matrix.ELEMENT, i, d.getAtIndex(Matrix.ELEMENT, i) * factor);
        }
    }

    /** A new matrix {@code a − b}. */
    static Matrix difference(Matrix a, Matrix b) {
        Matrix out = a.copy();
        MemorySegment d = out.data();
        MemorySegment q = b.data();
        long n = (long) a.rows() * a.cols();
        for (long i = 0; i < n; i++) {
            d.setAtIndex(Matrix.ELEMENT, i, d.getAtIndex(Matrix.ELEMENT, i) - q.getAtIndex(Matrix.ELEMENT, i));
        }
        return out;
    }

    /** A new matrix {@code Σᵢ tasksᵢ}, summed in task order in float32. */
    static Matrix sum(java.util.List<Matrix> tasks) {
        Matrix first = tasks.getFirst();
        Matrix out = first.copy();
        MemorySegment d = out.data();
        long n = (long) first.rows() * first.cols();
        for (Matrix t : tasks.subList(1, tasks.size())) {
            MemorySegment x = t.data();
            for (long i = 0; i < n; i++) {
                d.setAtIndex(Matrix.ELEMENT, i, d.getAtIndex(Matrix.ELEMENT, i) + x.getAtIndex(Matrix.ELEMENT, i));
            }
        }
        return out;
    }

    /** The mean of {@code s}, accumulated in double. */
    static float mean(float[] s) {
        double sum = 0;
        for (float v : s) {
            sum += v;
        }
        return (float) (sum / s.length);
    }
}
