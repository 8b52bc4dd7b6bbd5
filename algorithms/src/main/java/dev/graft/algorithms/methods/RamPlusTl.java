package dev.graft.algorithms.methods;

import dev.graft.algorithms.kernels.RamKernel;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/**
 * {@code ramplus_tl}, RAM+ (tensor-local): {@link Ram}, with each model's unique changes scaled up by how much of
 * its change the averaging of shared elements dilutes, measured per tensor.
 * <pre>
 *   nᵢ = [|δᵢ| &gt; ε],  c = Σᵢ nᵢ                       (as in ram)
 *   ρᵢ = #{c &gt; 1 and nᵢ} / max(#{c = 1 and nᵢ}, ε)     (counts over the tensor's elements)
 *   λᵢ = 1 + r·clamp(ρᵢ, 0, α)
 *   θ  = θ_b + Σᵢ nᵢ·δᵢ·(c = 1 ? λᵢ : 1/c)
 * </pre>
 * Reference: Yuan et al., Behavior Knowledge Merge in Reinforced Agentic Models, arXiv:2601.13572 (RAM+; the
 * paper's ρ is over the whole model, mergekit's and Graft's per tensor).
 */
public final class RamPlusTl extends UnweightedMethod {
    public RamPlusTl() {
        super(true, 2, 0);
    }

    @Override
    public String name() {
        return "ramplus_tl";
    }

    @Override
    public String summary() {
        return "ram, with each model's unique changes scaled by 1 + r·clamp(shared/unique, 0, alpha) per tensor";
    }

    @Override
    public String citation() {
        return "Yuan et al., Behavior Knowledge Merge in Reinforced Agentic Models (RAM+), arXiv:2601.13572";
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(ParameterDef.number("r", 0.1, "strength of the rescaling of unique changes"),
                ParameterDef.number("alpha", 0.2, "bound on the shared-to-unique ratio rho"),
                Ram.EPSILON);
    }

    @Override
    public TensorKernel kernel() {
        return new RamKernel(true);
    }
}
