package dev.graft.algorithms.methods;

import dev.graft.algorithms.spectral.IsoCtsMerge;
import dev.graft.algorithms.spectral.MatrixMerge;
import dev.graft.algorithms.spectral.SvdPolicy;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/**
 * {@code iso_cts}, Iso-CTS (isotropic merging in common and task-specific subspaces). Per 2-D tensor, r = min(m, n),
 * T task vectors τᵢ = θᵢ − θ_base, k + T·s = r directions (k ≈ common_fraction · r, see
 * {@link IsoCtsMerge}):
 * <pre>
 *   U_c, σ_c, V_c = top k of SVD(Σᵢ τᵢ)                                  (common subspace)
 *   Uᵢ, σᵢ, Vᵢ   = top s of SVD(τᵢ − U_c·U_cᵀ·τᵢ)                        (task-specific)
 *   θ = θ_base + λ · σ̄ · polar([U₁ … U_T U_c]) · polar([V₁ … V_T V_c])ᵀ,   σ̄ = mean of σ₁ … σ_T, σ_c
 * </pre>
 * Other tensors: {@code θ_base + λ · mean(τᵢ)}. Marczak et al., "No Task Left Behind: Isotropic Model Merging with
 * Common and Task-Specific Subspaces", ICML 2025, arXiv:2502.04959. See docs/methods/iso_cts.md.
 */
public final class IsoCts extends SpectralMethod {
    @Override
    public String name() {
        return "iso_cts";
    }

    @Override
    public String summary() {
        return "per matrix, the sum's top directions plus each task's own, orthogonalised, isotropic (Iso-CTS)";
    }

    @Override
    public String citation() {
        return IsoC.CITATION;
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(ParameterDef.fraction("common_fraction", 0.8,
                "share of the directions taken from the task vectors' sum (the common subspace)"), LAMBDA);
    }

    @Override
    MatrixMerge matrixMerge() {
        return new IsoCtsMerge(SvdPolicy.DEFAULT);
    }

    /** The stacked U and Vᵀ, the sum, a projected task vector, SVD copies and factors, the result. */
    @Override
    int scratchMatrices() {
        return 7;
    }
}
