package dev.graft.algorithms.methods;

import dev.graft.algorithms.sparsify.BernoulliSparsifier;
import dev.graft.algorithms.sparsify.Sparsifier;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/** {@code dare_ties}: drop task-vector entries at random, rescale, then TIES sign election and disjoint merge. */
public final class DareTies extends TaskVectorMethod {
    public DareTies() {
        super(false, true);
    }

    @Override
    public String name() {
        return "dare_ties";
    }

    @Override
    public String summary() {
        return "drop task-vector entries at random, rescale, then TIES sign election and disjoint merge";
    }

    @Override
    public String citation() {
        return "Yu et al., Language Models are Super Mario (DARE), ICML 2024, arXiv:2311.03099";
    }

    @Override
    Sparsifier sparsifier() {
        return new BernoulliSparsifier();
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
