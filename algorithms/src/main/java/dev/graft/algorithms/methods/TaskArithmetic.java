package dev.graft.algorithms.methods;

import dev.graft.algorithms.sparsify.Sparsifier;

/** {@code task_arithmetic}: the base plus the weighted sum of the task vectors. */
public final class TaskArithmetic extends TaskVectorMethod {
    public TaskArithmetic() {
        super(false, false);
    }

    @Override
    public String name() {
        return "task_arithmetic";
    }

    @Override
    public String summary() {
        return "base model plus the weighted sum of the task vectors (negative weights subtract a task)";
    }

    @Override
    public String citation() {
        return "Ilharco et al., Editing models with task arithmetic, ICLR 2023, arXiv:2212.04089";
    }

    @Override
    Sparsifier sparsifier() {
        return null;
    }

    @Override
    boolean consensus() {
        return false;
    }
}
