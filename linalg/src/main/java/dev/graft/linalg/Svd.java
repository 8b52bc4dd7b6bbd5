package dev.graft.linalg;

import java.util.Arrays;

/**
 * A thin singular value decomposition a ≈ u · diag(s) · vt, singular values in descending order.
 *
 * @param u  the left singular vectors as columns, m × k
 * @param s  the singular values, k, descending
 * @param vt the right singular vectors as rows, k × n
 */
public record Svd(Matrix u, float[] s, Matrix vt) implements AutoCloseable {
    /** Checks that the factors fit together. */
    public Svd {
        if (u.cols() != s.length || vt.rows() != s.length) {
            throw new IllegalArgumentException("SVD factors do not fit: u " + u.rows() + "×" + u.cols() + ", "
                    + s.length + " singular values, vt " + vt.rows() + "×" + vt.cols());
        }
        s = s.clone();
    }

    /** The number of singular triplets k. */
    public int rank() {
        return s.length;
    }

    /** The singular values (a copy). */
    @Override
    public float[] s() {
        return s.clone();
    }

    /** Σ σ_i² over the first {@code r} singular values, in double: the energy a rank-r truncation keeps. */
    public double energy(int r) {
        double sum = 0;
        for (int i = 0; i < Math.min(r, s.length); i++) {
            sum += (double) s[i] * s[i];
        }
        return sum;
    }

    /**
     * The first {@code r} singular triplets as a new decomposition (new matrices; this one stays open).
     *
     * @throws IllegalArgumentException if r is not in 1..rank()
     */
    public Svd truncate(int r) {
        if (r < 1 || r > s.length) {
            throw new IllegalArgumentException("cannot truncate a rank-" + s.length + " SVD to rank " + r);
        }
        LinearAlgebra la = u.backend();
        Matrix ur = la.zeros(u.rows(), r);
        Matrix vtr = la.zeros(r, vt.cols());
        for (int i = 0; i < u.rows(); i++) {
            java.lang.foreign.MemorySegment.copy(u.data(), Matrix.ELEMENT, (long) i * u.cols() * Float.BYTES,
                    ur.data(), Matrix.ELEMENT, (long) i * r * Float.BYTES, r);
        }
        java.lang.foreign.MemorySegment.copy(vt.data(), 0, vtr.data(), 0, (long) r * vt.cols() * Float.BYTES);
        return new Svd(ur, Arrays.copyOf(s, r), vtr);
    }

    /** Closes both factor matrices. */
    @Override
    public void close() {
        u.close();
        vt.close();
    }
}
