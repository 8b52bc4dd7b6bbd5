package dev.graft.algorithms.methods;

import dev.graft.algorithms.kernels.SlerpKernel;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/** {@code slerp}: spherical interpolation between the base model and one other model. */
public final class Slerp implements MergeMethod {
    @Override
    public String name() {
        return "slerp";
    }

    @Override
    public String summary() {
        return "spherical linear interpolation from the base model (t = 0) to the other model (t = 1)";
    }

    @Override
    public String citation() {
        return "Shoemake, Animating rotation with quaternion curves, SIGGRAPH 1985";
    }

    @Override
    public BaseModel baseModel() {
        return BaseModel.REQUIRED;
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(ParameterDef.number("t", null, "interpolation factor: 0 gives the base model, 1 the other"));
    }

    @Override
    public List<ParameterDef> modelParameters() {
        return List.of();
    }

    @Override
    public boolean taskVector() {
        return false;
    }

    @Override
    public int exactInputs() {
        return 2;
    }

    @Override
    public TensorKernel kernel() {
        return new SlerpKernel();
    }
}
