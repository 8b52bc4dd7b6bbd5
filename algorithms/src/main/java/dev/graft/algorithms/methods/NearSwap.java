package dev.graft.algorithms.methods;

import dev.graft.algorithms.kernels.NearSwapKernel;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/**
 * {@code nearswap}: moves the base model toward one other model where the two are already close.
 * <pre>
 *   w = clamp(t / max(|θ_b − θ₁|, 1e-6), 0, 1)      per element
 *   θ = w·θ₁ + (1 − w)·θ_b
 * </pre>
 * Elements closer than {@code t} take the other model's value; farther ones move by t toward it in relative terms.
 * Reference: alchemonaut, QuartetAnemoi-70B-t0.0001 (Hugging Face model card), as cited by mergekit.
 */
public final class NearSwap extends UnweightedMethod {
    public NearSwap() {
        super(false, 1, 2);
    }

    @Override
    public String name() {
        return "nearswap";
    }

    @Override
    public String summary() {
        return "take the other model's value where it is within t of the base, interpolate by t/|difference| elsewhere";
    }

    @Override
    public String citation() {
        return "alchemonaut, QuartetAnemoi-70B-t0.0001, huggingface.co/alchemonaut/QuartetAnemoi-70B-t0.0001";
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(ParameterDef.number("t", null,
                "distance below which the other model's value is taken; farther, the weight is t/|difference|"));
    }

    @Override
    public TensorKernel kernel() {
        return new NearSwapKernel();
    }
}
