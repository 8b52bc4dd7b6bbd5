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
 * direction is kept, so nothing can be truncated: the exact SVD is taken whatever the shape.
 */
public final class IsoCMerge implements MatrixMerge {
    @Override
    public Matrix merge(LinearAlgebra la, List<Matrix> tasks, TensorParameters p) {
        try (Matrix sum = Factors.sum(tasks); Svd svd = la.svd(sum)) {
            Matrix out = la.multiply(svd.u(), false, svd.vt(), false);
            Factors.scale(out, Factors.mean(svd.s()));
            return out;
        }
    }
}
