package dev.graft.algorithms.lora;

import dev.graft.formats.lora.FactorLayout;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.RandomizedSvdOptions;
import dev.graft.linalg.Svd;

import java.util.Arrays;

/**
 * Turns one dense delta into LoRA factors: a truncated SVD (randomized, or exact {@code sgesdd} for small matrices
 * or on request), a rank chosen by a {@link RankRule}, and the singular values split between the factors. The one
 * code path that both extraction and the SVD combinations use.
 *
 * @param backend    the linear algebra
 * @param rankRule   how many triplets to keep
 * @param split      where the singular values go
 * @param exact      exact SVD for every matrix
 * @param exactBelow exact SVD when {@code min(rows, cols)} is at most this
 * @param sketch     oversampling, power iterations and seed of the randomized SVD (its rank is ignored)
 */
record Factorizer(LinearAlgebra backend, RankRule rankRule, FactorSplit split, boolean exact, int exactBelow,
                  RandomizedSvdOptions sketch) {

    /**
     * Factors of {@code ΔW ≈ B·A}, row-major.
     *
     * @param b      {@code [out, r]}
     * @param a      {@code [r, in]}
     * @param rank   r
     * @param energy {@code Σ_{i≤r} σᵢ² / ‖ΔW‖²_F}
     * @param exact  whether the full SVD was computed
     */
    record Factors(float[] b, float[] a, int rank, double energy, boolean exact) {
        /** {@code ‖ΔW − B·A‖_F / ‖ΔW‖_F}: the truncation is an orthogonal projection, so √(1 − energy). */
        double relativeError() {
            return Math.sqrt(Math.max(0, 1 - energy));
        }
    }

    /**
     * Factors a stored delta.
     *
     * @param delta  the delta as stored: {@code ΔW [out, in]} for {@link FactorLayout#LINEAR}, {@code ΔWᵀ} for
     *               {@link FactorLayout#TRANSPOSED}
     * @param total  {@code ‖ΔW‖²_F}, positive
     * @param layout how the stored matrix relates to {@code B·A}
     */
    Factors factor(Matrix delta, double total, FactorLayout layout) {
        int fullRank = Math.min(delta.rows(), delta.cols());
        int triplets = rankRule.triplets(fullRank);
        boolean full = exact || fullRank <= exactBelow;
        try (Svd svd = full ? backend.svd(delta) : backend.randomizedSvd(delta, sketch.withRank(triplets))) {
            int r = rankRule.choose(Arrays.copyOf(svd.s(), triplets), total);
            double energy = Math.min(1, svd.energy(r) / total);
            // only the kept triplets come onto the heap (an exact SVD has min(rows, cols) of them)
            try (Svd kept = svd.rank() == r ? null : svd.truncate(r)) {
                Svd t = kept == null ? svd : kept;
                return layout == FactorLayout.LINEAR
                        ? new Factors(scaledColumns(t.u(), r, t.s(), true), scaledRows(t.vt(), r, t.s(), false), r,
                        energy, full)
                        // stored ΔWᵀ = U·S·Vᵀ, so ΔW = V·S·Uᵀ: B = V·S_B, A = S_A·Uᵀ
                        : new Factors(transposedRows(t.vt(), r, t.s(), true), transposedColumns(t.u(), r, t.s()),
                        r, energy, full);
            }
        }
    }

    private float scale(float s, boolean onB) {
        return onB ? split.onB(s) : split.onA(s);
    }

    /** The first r columns of {@code m} (rows × k), each times its singular value's share: rows × r. */
    private float[] scaledColumns(Matrix m, int r, float[] s, boolean onB) {
        float[] x = m.toArray();
        int rows = m.rows();
        int k = m.cols();
        float[] out = new float[rows * r];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < r; j++) {
                out[i * r + j] = x[i * k + j] * scale(s[j], onB);
            }
        }
        return out;
    }

    /** The first r rows of {@code m} (k × cols), each times its singular value's share: r × cols. */
    private float[] scaledRows(Matrix m, int r, float[] s, boolean onB) {
        float[] x = m.toArray();
        int cols = m.cols();
        float[] out = new float[r * cols];
        for (int j = 0; j < r; j++) {
            float f = scale(s[j], onB);
            for (int c = 0; c < cols; c++) {
                out[j * cols + c] = x[j * cols + c] * f;
            }
        }
        return out;
    }

    /** The transpose of the first r rows of {@code vt} (k × cols), scaled for B: cols × r. */
    private float[] transposedRows(Matrix vt, int r, float[] s, boolean onB) {
        float[] x = vt.toArray();
        int cols = vt.cols();
        float[] out = new float[cols * r];
        for (int j = 0; j < r; j++) {
            float f = scale(s[j], onB);
            for (int c = 0; c < cols; c++) {
                out[c * r + j] = x[j * cols + c] * f;
            }
        }
        return out;
    }

    /** The transpose of the first r columns of {@code u} (rows × k), scaled for A: r × rows. */
    private float[] transposedColumns(Matrix u, int r, float[] s) {
        float[] x = u.toArray();
        int rows = u.rows();
        int k = u.cols();
        float[] out = new float[r * rows];
        for (int j = 0; j < r; j++) {
            float f = split.onA(s[j]);
            for (int i = 0; i < rows; i++) {
                out[j * rows + i] = x[i * k + j] * f;
            }
        }
        return out;
    }
}
