package dev.graft.algorithms.methods;

import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/**
 * {@code passthrough}: each output tensor is its one input, optionally scaled; with {@code slices:} it stacks layer
 * ranges of different models (a "frankenmerge").
 */
public final class Passthrough implements MergeMethod {
    @Override
    public String name() {
        return "passthrough";
    }

    @Override
    public String summary() {
        return "copies each tensor from its single source (stacking layer ranges with slices), optionally scaled";
    }

    @Override
    public String citation() {
        return "mergekit, Goddard et al., arXiv:2403.13257";
    }

    @Override
    public BaseModel baseModel() {
        return BaseModel.OPTIONAL;
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of();
    }

    @Override
    public List<ParameterDef> modelParameters() {
        return List.of(ParameterDef.number("scale", 1.0, "factor the tensor is multiplied by"));
    }

    @Override
    public boolean taskVector() {
        return false;
    }

    @Override
    public int exactInputs() {
        return 1;
    }

    @Override
    public TensorKernel kernel() {
        return (in, p, out) -> {
            float scale = (float) p.modelDouble(0, "scale", 1);
            float[] r = new float[in.maxChunk()];
            in.lastScan((first, len, v, off) -> {
                for (int e = 0; e < len; e++) {
                    r[e] = v[0][off + e] * scale;
                }
                out.write(r, 0, len);
            });
        };
    }
}
