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
        try (Matrix u = la.zeros(m, r); Matrix vt = la.zeros(r, n)) {
            try (Matrix sum = Factors.sum(tasks); Svd common = policy.top(la, sum, k)) {
                Factors.putColumns(common.u(), k, u, t * s);
                Factors.putRows(common.vt(), k, vt, t * s);
                System.arraycopy(common.s(), 0, sigma, t * s, k);
                for (int i = 0; s > 0 && i < t; i++) {
                    try (Matrix specific = withoutCommon(la, tasks.get(i), common.u());
                         Svd svd = policy.top(la, specific, s)) {
                        Factors.putColumns(svd.u(), s, u, i * s);
                        Factors.putRows(svd.vt(), s, vt, i * s);
                        System.arraycopy(svd.s(), 0, sigma, i * s, s);
                    }
                }
            }
            try (Matrix pu = Factors.polar(la, u); Matrix pv = Factors.polar(la, vt)) {
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
            Matrix out = task.copy();
            var d = out.data();
            var q = projected.data();
            long n = (long) task.rows() * task.cols();
            for (long i = 0; i < n; i++) {
                d.setAtIndex(Matrix.ELEMENT, i, d.getAtIndex(Matrix.ELEMENT, i) - q.getAtIndex(Matrix.ELEMENT, i));
            }
            return out;
        }
    }
}
