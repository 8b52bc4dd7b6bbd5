package dev.graft.algorithms.methods;

import dev.graft.algorithms.kernels.RamKernel;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.ParameterDef;

import java.util.List;
import java.util.Optional;

/**
 * {@code ram}, Reinforced Agent Merging: an element changed by one model keeps that model's change, one changed by
 * several gets the mean of their changes.
 * <pre>
 *   nᵢ = [|δᵢ| &gt; ε]          (δᵢ = θᵢ − θ_b; nᵢ = 1: model i changed the element)
 *   c  = Σᵢ nᵢ
 *   θ  = θ_b + Σᵢ nᵢ·δᵢ·(c = 1 ? 1 : 1/c)      (c = 0: θ_b)
 * </pre>
 * Reference: Yuan et al., Behavior Knowledge Merge in Reinforced Agentic Models, arXiv:2601.13572. The variant
 * that rescales each model's unique changes is {@link RamPlusTl}.
 */
public final class Ram extends UnweightedMethod {
    /** mergekit's {@code epsilon}, shared with {@link RamPlusTl}: the change below which an element is unchanged. */
    static final ParameterDef EPSILON = new ParameterDef("epsilon", ParameterDef.Type.NUMBER, Optional.of(1e-5),
            "an element counts as changed by a model where |delta| > epsilon",
            v -> ((Number) v).doubleValue() >= 0 ? null : "must be >= 0, got " + v);

    public Ram() {
        super(true, 2, 0);
    }

    @Override
    public String name() {
        return "ram";
    }

    @Override
    public String summary() {
        return "keep an element changed by one model, average it where several changed it";
    }

    @Override
    public String citation() {
        return "Yuan et al., Behavior Knowledge Merge in Reinforced Agentic Models (RAM), arXiv:2601.13572";
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(EPSILON);
    }

    @Override
    public TensorKernel kernel() {
        return new RamKernel(false);
    }
}
