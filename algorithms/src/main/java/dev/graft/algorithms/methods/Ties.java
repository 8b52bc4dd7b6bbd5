package dev.graft.algorithms.methods;

import dev.graft.algorithms.sparsify.MagnitudeSparsifier;
import dev.graft.algorithms.sparsify.Sparsifier;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/** {@code ties}: trim each task vector to its largest entries, elect a sign per parameter, average the agreeing entries. */
public final class Ties extends TaskVectorMethod {
    public Ties() {
        super(true, false);
    }

    @Override
    public String name() {
        return "ties";
    }

    @Override
    public String summary() {
        return "trim each task vector to its largest entries, elect a sign per parameter, average the agreeing entries";
    }

    @Override
    public String citation() {
        return "Yadav et al., TIES-Merging, NeurIPS 2023, arXiv:2306.01708";
    }

    @Override
    Sparsifier sparsifier() {
        return new MagnitudeSparsifier();
    }

    @Override
    boolean consensus() {
        return true;
    }

    @Override
    List<ParameterDef> extraModelParameters() {
        return List.of(ParameterDef.number("density", 1.0, 0.0, 1.0, "fraction of the task vector kept"));
    }
}
