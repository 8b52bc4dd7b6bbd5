package dev.graft.algorithms.methods;

import dev.graft.algorithms.kernels.NuSlerpKernel;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/**
 * {@code nuslerp}: spherical interpolation between two models with {@code t = w₂/(w₁+w₂)}, or between their task
 * vectors, added back to the base, when there is a base:
 * {@code (sin((1−t)θ)·v₁ + sin(tθ)·v₂) / sin θ}, θ the angle between v₁ and v₂ (lerp where |sin θ| &lt; 1e-8), over
 * the whole tensor, each row, or each column ({@link NuSlerpKernel}). mergekit's NuSLERP (Goddard, arcee-ai/mergekit
 * #357, 2024), after Shoemake's slerp (SIGGRAPH 1985).
 */
public final class NuSlerp implements MergeMethod {
    @Override
    public String name() {
        return "nuslerp";
    }

    @Override
    public String summary() {
        return "spherical interpolation of two models (or of their task vectors from the base), t = w2/(w1+w2)";
    }

    @Override
    public String citation() {
        return "mergekit's NuSLERP (Goddard, arcee-ai/mergekit #357, 2024), after Shoemake, Animating rotation with "
                + "quaternion curves, SIGGRAPH 1985";
    }

    @Override
    public BaseModel baseModel() {
        return BaseModel.OPTIONAL_INPUT;
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(
                ParameterDef.bool("nuslerp_row_wise", false,
                        "with nuslerp_flatten false: interpolate each column (slice along the first dimension) "
                                + "instead of each row"),
                ParameterDef.bool("nuslerp_flatten", true,
                        "treat the whole tensor as one vector; false interpolates row by row (or column by column)"));
    }

    @Override
    public List<ParameterDef> modelParameters() {
        return List.of(ParameterDef.number("weight", null, "the model's weight; t = w2/(w1+w2)"));
    }

    @Override
    public boolean taskVector() {
        // With a base the result is base + slerp of the task vectors, but not a scaled sum of them: LiNeS has
        // nothing to scale.
        return false;
    }

    @Override
    public int exactModels() {
        return 2;
    }

    @Override
    public TensorKernel kernel() {
        return new NuSlerpKernel();
    }
}
