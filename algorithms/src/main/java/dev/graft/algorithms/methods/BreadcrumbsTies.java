package dev.graft.algorithms.methods;

import dev.graft.algorithms.sparsify.OutlierSparsifier;
import dev.graft.algorithms.sparsify.Sparsifier;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/** {@code breadcrumbs_ties}: breadcrumbs trimming followed by TIES sign election and disjoint merge. */
public final class BreadcrumbsTies extends TaskVectorMethod {
    public BreadcrumbsTies() {
        super(false, false);
    }

    @Override
    public String name() {
        return "breadcrumbs_ties";
    }

    @Override
    public String summary() {
        return "breadcrumbs trimming followed by TIES sign election and disjoint merge";
    }

    @Override
    public String citation() {
        return "Davari & Belilovsky, Model Breadcrumbs, ECCV 2024, arXiv:2312.06795";
    }

    @Override
    Sparsifier sparsifier() {
        return new OutlierSparsifier();
    }

    @Override
    boolean consensus() {
        return true;
    }

    @Override
    List<ParameterDef> extraModelParameters() {
        return List.of(ParameterDef.number("density", 1.0, 0.0, 1.0, "fraction of the task vector kept"),
                ParameterDef.number("gamma", 0.01, 0.0, 1.0, "fraction of largest entries removed as outliers"));
    }
}
