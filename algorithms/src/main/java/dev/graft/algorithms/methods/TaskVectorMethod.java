package dev.graft.algorithms.methods;

import dev.graft.algorithms.kernels.TaskVectorKernel;
import dev.graft.algorithms.sparsify.Sparsifier;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;

import java.util.ArrayList;
import java.util.List;

/**
 * What the task-vector methods share: base model required, mergekit's global parameters ({@code normalize},
 * {@code rescale} with per-method defaults, {@code lambda}, {@code int8_mask}), {@code weight} per model, and a
 * {@link TaskVectorKernel} configured with the method's sparsifier and sign consensus. Each method is a small
 * subclass naming its configuration.
 */
abstract class TaskVectorMethod implements MergeMethod {
    private final boolean defaultNormalize;
    private final boolean defaultRescale;

    TaskVectorMethod(boolean defaultNormalize, boolean defaultRescale) {
        this.defaultNormalize = defaultNormalize;
        this.defaultRescale = defaultRescale;
    }

    /** The sparsifier, or null for none. */
    abstract Sparsifier sparsifier();

    /** Whether signs are elected (TIES). */
    abstract boolean consensus();

    /** Per-model parameters beyond {@code weight}. */
    List<ParameterDef> extraModelParameters() {
        return List.of();
    }

    @Override
    public final BaseModel baseModel() {
        return BaseModel.REQUIRED;
    }

    @Override
    public final boolean taskVector() {
        return true;
    }

    @Override
    public final int minInputs() {
        return 2;
    }

    @Override
    public List<ParameterDef> globalParameters() {
        List<ParameterDef> defs = new ArrayList<>(List.of(
                ParameterDef.bool("normalize", defaultNormalize, "divide by the sum of the (agreeing) weights"),
                ParameterDef.bool("rescale", defaultRescale, "keep each sparsified delta's L1 norm"),
                ParameterDef.number("lambda", 1.0, "scale of the merged task vector"),
                ParameterDef.bool("int8_mask", false, "accepted for mergekit compatibility; no effect on results")));
        if (consensus()) {
            defs.add(ParameterDef.choice("sign_election", "mergekit",
                    "mergekit: elect signs from the weighted deltas; paper: from the unweighted trimmed deltas",
                    "mergekit", "paper"));
        }
        return defs;
    }

    @Override
    public final List<ParameterDef> modelParameters() {
        List<ParameterDef> defs = new ArrayList<>();
        defs.add(ParameterDef.number("weight", null, "the model's weight (negative to subtract a task)"));
        defs.addAll(extraModelParameters());
        return defs;
    }

    @Override
    public final TensorKernel kernel() {
        return new TaskVectorKernel(sparsifier(), consensus());
    }
}
