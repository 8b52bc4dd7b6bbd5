package dev.graft.algorithms.methods;

import dev.graft.algorithms.kernels.LinearKernel;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/** {@code linear}: a weighted average of the models' weights (model soups). */
public final class Linear implements MergeMethod {
    @Override
    public String name() {
        return "linear";
    }

    @Override
    public String summary() {
        return "weighted average of the models' weights";
    }

    @Override
    public String citation() {
        return "Wortsman et al., Model soups, ICML 2022, arXiv:2203.05482";
    }

    @Override
    public BaseModel baseModel() {
        return BaseModel.OPTIONAL;
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(ParameterDef.bool("normalize", true, "divide by the sum of the weights"));
    }

    @Override
    public List<ParameterDef> modelParameters() {
        return List.of(ParameterDef.number("weight", null, "the model's weight in the average"));
    }

    @Override
    public boolean taskVector() {
        return false;
    }

    @Override
    public TensorKernel kernel() {
        return new LinearKernel();
    }
}
