package dev.graft.algorithms.spectral;

import dev.graft.core.kernel.TensorParameters;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.Svd;

import java.util.List;

/**
 * Iso-C for one matrix (Marczak et al., ICML 2025): the task-arithmetic sum {@code Σᵢ τᵢ = U·diag(σ)·Vᵀ} (exact
 * SVD), its spectrum made isotropic at the mean singular value, {@code τ = σ̄ · U·Vᵀ} with
 * {@code σ̄ = (1/r) Σⱼ σⱼ}, r = min(m, n): the sum of the singular values (the nuclear norm) is kept. Every
 * direction is kept, so nothing is truncated: the SVD is the exact one or, for a large well-conditioned sum, the
 * Gram path within its tolerance ({@link SvdPolicy#isotropicTop}: all directions weigh alike here).
 */
public final class IsoCMerge implements MatrixMerge {
    private final SvdPolicy policy;

    /** @param policy how the sum is decomposed */
    public IsoCMerge(SvdPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Matrix merge(LinearAlgebra la, List<Matrix> tasks, TensorParameters p) {
        try (Matrix sum = Factors.sum(tasks);
             Svd svd = policy.isotropicTop(la, sum, Math.min(sum.rows(), sum.cols()))) {
            Matrix out = la.multiply(svd.u(), false, svd.vt(), false);
            Factors.scale(out, Factors.mean(svd.s()));
            return out;
        }
    }
}
