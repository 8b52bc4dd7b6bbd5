package dev.graft.algorithms.spectral;

import dev.graft.core.kernel.TensorParameters;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.Svd;

import java.util.List;

/**
 * TSV-M for one m × n matrix (Gargiulo et al., CVPR 2025): each task vector's top k singular triplets,
 * {@code k = max(1, ⌊fraction · min(m, n)⌋)} (fraction 1/T by default), placed side by side,
 * {@code U = [U₁ … U_T]}, {@code Σ = diag(Σ₁ … Σ_T)}, {@code V = [V₁ … V_T]}; U and V replaced by their polar factors
 * (the nearest orthogonal matrices, {@link SvdPolicy#polar}); {@code τ = polar(U) · Σ · polar(V)ᵀ}. The per-task
 * truncations and the polar factors are exact or Gram-path SVDs (randomized for a vocabulary-shaped matrix whose
 * Gram path is too ill-conditioned) as {@link SvdPolicy} decides.
 */
public final class TsvMerge implements MatrixMerge {
    private final SvdPolicy policy;

    /** @param policy how the per-task truncations and the polar factors are decomposed */
    public TsvMerge(SvdPolicy policy) {
        this.policy = policy;
    }

    /** The triplets kept per task: the authors' {@code int(min(m, n) · fraction)}, at least one. */
    static int kept(int small, int tasks, java.util.OptionalDouble fraction) {
        double f = fraction.orElse(1.0 / tasks);
        return Math.max(1, (int) (small * f));
    }

    @Override
    public Matrix merge(LinearAlgebra la, List<Matrix> tasks, TensorParameters p) {
        int m = tasks.getFirst().rows();
        int n = tasks.getFirst().cols();
        int k = kept(Math.min(m, n), tasks.size(), p.globalNumber("fraction"));
        int total = k * tasks.size();
        float[] s = new float[total];
        try (Matrix u = la.zeros(m, total); Matrix vt = la.zeros(total, n)) {
            for (int i = 0; i < tasks.size(); i++) {
                try (Svd svd = policy.top(la, tasks.get(i), k)) {
                    Factors.putColumns(svd.u(), k, u, i * k);
                    Factors.putRows(svd.vt(), k, vt, i * k);
                    System.arraycopy(svd.s(), 0, s, i * k, k);
                }
            }
            try (Matrix pu = policy.polar(la, u); Matrix pv = policy.polar(la, vt)) {
                return Factors.rebuild(la, pu, s, pv);
            }
        }
    }
}
