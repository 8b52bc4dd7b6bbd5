package dev.graft.cli.bench;

import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/**
 * The I/O floor of a merge: reads every input once, through the same executor, and writes the base unchanged. A
 * merge that takes twice this long spends as much time on math as on I/O.
 */
final class ReadFloor implements MergeMethod {
    @Override
    public String name() {
        return "io_floor";
    }

    @Override
    public String summary() {
        return "reads every input and writes the base: the I/O floor of a merge";
    }

    @Override
    public String citation() {
        return "benchmark only";
    }

    @Override
    public BaseModel baseModel() {
        return BaseModel.REQUIRED;
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of();
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
    public TensorKernel kernel() {
        return (in, p, out) -> {
            int base = in.baseIndex();
            in.scan((first, len, v, off) -> out.write(v[base], off, len));
        };
    }
}
