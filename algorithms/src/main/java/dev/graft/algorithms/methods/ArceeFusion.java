package dev.graft.algorithms.methods;

import dev.graft.algorithms.kernels.ArceeFusionKernel;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/**
 * {@code arcee_fusion}: keeps only the changes of the other model that matter most, judged by how much they move
 * each row's softmax distribution, with an outlier threshold.
 * <pre>
 *   Δ   = θ₁ − θ_b
 *   KLᵣ = Σ_j pⱼ·log(pⱼ/qⱼ),  p = softmax(θ₁,ᵣ) + 1e-8,  q = softmax(θ_b,ᵣ) + 1e-8   (per row r: last dimension)
 *   I   = |Δ|·KL_row                                  (importance of every element)
 *   τ   = Q₂ + 1.5·(Q₃ − Q₁)                          (median plus 1.5 interquartile ranges of I)
 *   θ   = θ_b + Δ·[I ≥ τ]
 * </pre>
 * The quartiles are exact over the whole tensor: Qₘ is the element at rank ⌊m·(n − 1)/4⌋ of the sorted
 * importances. mergekit sorts a random sample of 1,000,000 elements (torch.randperm) when the tensor has more.
 * Reference: Arcee AI, MergeKit v0.1 release (Arcee Fusion),
 * arcee.ai/blog/meet-mergekit-v0-1-arcee-fusion-expanded-model-support-multi-gpu-acceleration.
 */
public final class ArceeFusion extends UnweightedMethod {
    public ArceeFusion() {
        super(false, 1, 2);
    }

    @Override
    public String name() {
        return "arcee_fusion";
    }

    @Override
    public String summary() {
        return "keep the other model's changes whose importance |delta|·KL(row softmax) is an outlier "
                + "(at least median + 1.5 IQR)";
    }

    @Override
    public String citation() {
        return "Arcee AI, MergeKit v0.1 (Arcee Fusion), arcee.ai/blog/"
                + "meet-mergekit-v0-1-arcee-fusion-expanded-model-support-multi-gpu-acceleration";
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of();
    }

    @Override
    public TensorKernel kernel() {
        return new ArceeFusionKernel();
    }
}
