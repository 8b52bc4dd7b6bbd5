package dev.graft.algorithms.methods;

import dev.graft.algorithms.sparsify.DellaSparsifier;
import dev.graft.algorithms.sparsify.Sparsifier;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/** {@code della}: drop task-vector entries with probabilities by magnitude rank (MagPrune), rescale, then TIES sign election. */
public final class Della extends TaskVectorMethod {
    public Della() {
        super(true, true);
    }

    @Override
    public String name() {
        return "della";
    }

    @Override
    public String summary() {
        return "drop task-vector entries with probabilities by magnitude rank (MagPrune), rescale, then TIES sign election";
    }

    @Override
    public String citation() {
        return "Deep et al., DELLA-Merging, arXiv:2406.11617";
    }

    @Override
    Sparsifier sparsifier() {
        return new DellaSparsifier();
    }

    @Override
    boolean consensus() {
        return true;
    }

    @Override
    public String checkModelParameters(java.util.Map<String, Object> values) {
        return DellaLimits.check(values);
    }

    @Override
    List<ParameterDef> extraModelParameters() {
        return List.of(ParameterDef.number("density", 1.0, 0.0, 1.0, "fraction of the task vector kept"),
                ParameterDef.number("epsilon", 0.15, 0.0, 1.0, "spread of keep probabilities across magnitude ranks"));
    }
}
