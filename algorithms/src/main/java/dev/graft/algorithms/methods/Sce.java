package dev.graft.algorithms.methods;

import dev.graft.algorithms.kernels.SceKernel;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/**
 * {@code sce}, FuseChat's Select–Calculate–Erase merge: keep the positions where the fine-tunes disagree most,
 * weight each model by the energy of its kept delta, and average the deltas that agree with the elected sign.
 * <pre>
 *   Select:    v_j = Var_i(δᵢⱼ) (population variance over the models; δᵢ = θᵢ − θ_b)
 *              select_topk &lt; 1: keep the k = ⌊select_topk·#{v_j ≠ 0}⌋ positions of largest v_j (ties:
 *              lower index first), δᵢⱼ = 0 elsewhere
 *   Calculate: wᵢ = mean_j(δᵢⱼ²),  wᵢ /= Σ w   (Σ w &lt; 1e-6: wᵢ = 1/N)
 *   Erase:     elected_j = +1 if Σᵢ δᵢⱼ ≥ 0 else −1,  aᵢⱼ = [sign(δᵢⱼ) = elected_j]
 *   θ_j = θ_b,j + s·Σᵢ wᵢ·aᵢⱼ·δᵢⱼ / max(Σᵢ wᵢ·aᵢⱼ, 1e-6)      (s: the LiNeS scale, 1 without)
 * </pre>
 * Reference: Wan et al., FuseChat: Knowledge Fusion of Chat Models, arXiv:2408.07990.
 */
public final class Sce extends UnweightedMethod {
    public Sce() {
        super(true, 2, 0);
    }

    @Override
    public String name() {
        return "sce";
    }

    @Override
    public String summary() {
        return "keep the highest-variance positions, weight each model by its mean squared delta, "
                + "average the deltas that agree with the elected sign";
    }

    @Override
    public String citation() {
        return "Wan et al., FuseChat: Knowledge Fusion of Chat Models, arXiv:2408.07990";
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(ParameterDef.bool("int8_mask", false, "accepted for mergekit compatibility; no effect on results"),
                ParameterDef.number("select_topk", 1.0, 0.0, 1.0,
                        "fraction of the positions with nonzero variance across the deltas that is kept"));
    }

    @Override
    public TensorKernel kernel() {
        return new SceKernel();
    }
}
