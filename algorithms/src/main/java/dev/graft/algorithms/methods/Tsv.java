package dev.graft.algorithms.methods;

import dev.graft.algorithms.spectral.MatrixMerge;
import dev.graft.algorithms.spectral.SvdPolicy;
import dev.graft.algorithms.spectral.TsvMerge;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/**
 * {@code tsv}, TSV-M (Task Singular Vectors: Merging). Per 2-D tensor, with task vectors τᵢ = θᵢ − θ_base,
 * i = 1…T, and each τᵢ's top k singular triplets {@code Uᵢ Σᵢ Vᵢᵀ}, k = ⌊fraction · min(m, n)⌋ (fraction 1/T by
 * default, at least one triplet):
 * <pre>
 *   U = [U₁ … U_T],  Σ = diag(Σ₁ … Σ_T),  V = [V₁ … V_T]
 *   θ = θ_base + λ · polar(U) · Σ · polar(V)ᵀ,   polar(A) = P·Qᵀ for A = P·S·Qᵀ
 * </pre>
 * Other tensors: {@code θ_base + λ · mean(τᵢ)}. Gargiulo, Crisostomi, Bucarelli, Scardapane, Silvestri and Rodolà,
 * "Task Singular Vectors: Reducing Task Interference in Model Merging", CVPR 2025, arXiv:2412.00081. See
 * docs/methods/tsv.md.
 */
public final class Tsv extends SpectralMethod {
    @Override
    public String name() {
        return "tsv";
    }

    @Override
    public String summary() {
        return "per matrix, each task vector's top singular vectors side by side, orthogonalised (TSV-M)";
    }

    @Override
    public String citation() {
        return "Gargiulo et al., Task Singular Vectors: Reducing Task Interference in Model Merging, CVPR 2025, "
                + "arXiv:2412.00081";
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(ParameterDef.fraction("fraction", new ParameterDef.Rule("1/T"),
                        "share of each task vector's singular directions kept (T: models besides the base)"),
                LAMBDA);
    }

    @Override
    MatrixMerge matrixMerge() {
        return new TsvMerge(SvdPolicy.DEFAULT);
    }

    /** The stacked U and Vᵀ, their SVDs' copies and factors, the polar factors and the result. */
    @Override
    int scratchMatrices() {
        return 6;
    }
}
