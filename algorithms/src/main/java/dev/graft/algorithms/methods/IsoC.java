package dev.graft.algorithms.methods;

import dev.graft.algorithms.spectral.IsoCMerge;
import dev.graft.algorithms.spectral.MatrixMerge;
import dev.graft.algorithms.spectral.SvdPolicy;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/**
 * {@code iso_c}, Iso-C (isotropic merging in the common subspace). Per 2-D tensor, with task vectors
 * τᵢ = θᵢ − θ_base and the SVD of their sum {@code Σᵢ τᵢ = U·diag(σ₁ … σ_r)·Vᵀ}, r = min(m, n):
 * <pre>
 *   θ = θ_base + λ · σ̄ · U·Vᵀ,   σ̄ = (1/r) Σⱼ σⱼ
 * </pre>
 * (the spectrum flattened at its mean, which keeps the sum of the singular values). Other tensors:
 * {@code θ_base + λ · mean(τᵢ)}. Marczak, Magistri, Cygert, Twardowski, Bagdanov and van de Weijer, "No Task Left
 * Behind: Isotropic Model Merging with Common and Task-Specific Subspaces", ICML 2025, arXiv:2502.04959. See
 * docs/methods/iso_c.md.
 */
public final class IsoC extends SpectralMethod {
    /** The paper of both isotropic merges, Iso-C and Iso-CTS. */
    static final String CITATION = "Marczak et al., No Task Left Behind: Isotropic Model Merging with Common and "
            + "Task-Specific Subspaces, ICML 2025, arXiv:2502.04959";

    @Override
    public String name() {
        return "iso_c";
    }

    @Override
    public String summary() {
        return "per matrix, the task vectors' sum with its singular values set to their mean (Iso-C)";
    }

    @Override
    public String citation() {
        return CITATION;
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(LAMBDA);
    }

    @Override
    MatrixMerge matrixMerge() {
        return new IsoCMerge(SvdPolicy.DEFAULT);
    }

    /** The sum, the SVD's copy and factors (with the Gram path: a transpose and a deflated copy), the result. */
    @Override
    int scratchMatrices() {
        return 6;
    }
}
