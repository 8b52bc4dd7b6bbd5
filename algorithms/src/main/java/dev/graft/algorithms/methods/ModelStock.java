package dev.graft.algorithms.methods;

import dev.graft.algorithms.kernels.ModelStockKernel;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/** {@code model_stock}: average of the fine-tunes, pulled toward the base by their mutual angle. */
public final class ModelStock implements MergeMethod {
    @Override
    public String name() {
        return "model_stock";
    }

    @Override
    public String summary() {
        return "average of the fine-tunes interpolated toward the base model by the mean angle between their deltas";
    }

    @Override
    public String citation() {
        return "Jang et al., Model Stock, ECCV 2024, arXiv:2403.19522";
    }

    @Override
    public BaseModel baseModel() {
        return BaseModel.REQUIRED;
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(ParameterDef.bool("filter_wise", false, "compute the interpolation per row instead of per tensor"));
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
    public int minInputs() {
        return 3;
    }

    @Override
    public TensorKernel kernel() {
        return new ModelStockKernel();
    }
}
