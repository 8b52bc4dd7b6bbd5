package dev.graft.algorithms.spectral;

import dev.graft.core.kernel.TensorParameters;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.Svd;

import java.util.List;

/**
 * Iso-CTS for one m × n matrix (Marczak et al., ICML 2025), r = min(m, n), T tasks:
 * <ol>
 *   <li>sizes as the authors' code: {@code k = ⌊r · common_fraction⌋}, then the task-specific total is rounded to a
 *       multiple of T, {@code t = round((r − k)/T) · T} (round half to even, as Python's {@code round}),
 *       {@code k = r − t}, {@code s = t/T} directions per task (k kept at least 1);</li>
 *   <li>the common subspace: the top k triplets {@code U_c, σ_c, V_c} of {@code Σᵢ τᵢ};</li>
 *   <li>per task, the top s triplets of {@code τᵢ − U_c·U_cᵀ·τᵢ} (the task vector with the common subspace
 *       projected out);</li>
 *   <li>U = [task-specific … | U_c], V likewise, replaced by their polar factors; every singular value replaced by
 *       the mean σ̄ of the r collected ones: {@code τ = σ̄ · polar(U) · polar(V)ᵀ}.</li>
 * </ol>
 * The decompositions are exact or Gram-path ones, randomized for a vocabulary-shaped matrix the Gram path cannot
 * take, as {@link SvdPolicy} decides (with equal weights: the spectrum is made isotropic); polar(U) decomposes only
 * the task-specific columns: they are singular vectors of task vectors with U_c projected out, so
 * {@code U_sᵀ·U_c = 0}, {@code UᵀU = diag(U_sᵀU_s, I)}, whose inverse square root leaves U_c as it is:
 * {@code polar([U_s | U_c]) = [polar(U_s) | U_c]}, an m × T·s decomposition instead of m × r (a fifth of it at the
 * default common_fraction 0.8). No such shortcut holds for V: the task-specific right singular vectors are not
 * orthogonal to V_c.
 */
public final class IsoCtsMerge implements MatrixMerge {
    private final SvdPolicy policy;

    /** @param policy where the truncated SVDs are exact and where randomized */
    public IsoCtsMerge(SvdPolicy policy) {
        this.policy = policy;
    }

    /**
     * The subspace sizes, as the class description says.
     *
     * @return {@code {k, s}}: the common directions and the directions per task, k + T·s = r
     */
    public static int[] sizes(int r, int tasks, double commonFraction) {
        int common = (int) (r * commonFraction);
        int specific = (int) Math.rint((double) (r - common) / tasks) * tasks;
        while (r - specific < 1) {
            specific -= tasks;
        }
        common = r - specific;
        return new int[] {common, specific / tasks};
    }

    @Override
    public Matrix merge(LinearAlgebra la, List<Matrix> tasks, TensorParameters p) {
        int m = tasks.getFirst().rows();
        int n = tasks.getFirst().cols();
        int r = Math.min(m, n);
        int t = tasks.size();
        int[] size = sizes(r, t, p.globalDouble("common_fraction"));
        int k = size[0];
        int s = size[1];
        float[] sigma = new float[r];
        int specificTotal = t * s;
        // polar(U) is assembled in place: U_c goes in as it is, polar(U_s) beside it (see the class description).
        try (Matrix us = specificTotal > 0 ? la.zeros(m, specificTotal) : null; Matrix vt = la.zeros(r, n);
             Matrix pu = la.zeros(m, r)) {
            try (Matrix sum = Factors.sum(tasks); Svd common = policy.isotropicTop(la, sum, k)) {
                Factors.putColumns(common.u(), k, pu, specificTotal);
                Factors.putRows(common.vt(), k, vt, specificTotal);
                System.arraycopy(common.s(), 0, sigma, specificTotal, k);
                for (int i = 0; s > 0 && i < t; i++) {
                    try (Matrix specific = withoutCommon(la, tasks.get(i), common.u());
                         Svd svd = policy.isotropicTop(la, specific, s)) {
                        Factors.putColumns(svd.u(), s, us, i * s);
                        Factors.putRows(svd.vt(), s, vt, i * s);
                        System.arraycopy(svd.s(), 0, sigma, i * s, s);
                    }
                }
                if (us != null) {
                    // In float32 U_sᵀ·U_c is round-off, not 0, and an ill-conditioned U_s would magnify it: it is
                    // projected out, so that polar(U_s), which stays in U_s's span, is orthogonal to U_c.
                    try (Matrix orthogonal = withoutCommon(la, us, common.u());
                         Matrix polar = policy.polar(la, orthogonal)) {
                        Factors.putColumns(polar, specificTotal, pu, 0);
                    }
                }
            }
            try (Matrix pv = policy.polar(la, vt)) {
                Matrix out = la.multiply(pu, false, pv, false);
                Factors.scale(out, Factors.mean(sigma));
                return out;
            }
        }
    }

    /** {@code τ − U_c·(U_cᵀ·τ)}. */
    private static Matrix withoutCommon(LinearAlgebra la, Matrix task, Matrix uc) {
        try (Matrix coords = la.multiply(uc, true, task, false);
             Matrix projected = la.multiply(uc, false, coords, false)) {
            return Factors.difference(task, projected);
        }
    }
}
