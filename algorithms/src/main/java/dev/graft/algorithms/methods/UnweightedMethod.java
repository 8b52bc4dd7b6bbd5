package dev.graft.algorithms.methods;

import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/**
 * What the methods share that need the base model and take no per-model parameter, because they derive each
 * model's share from the data ({@code sce}, {@code ram}, {@code ramplus_tl}, {@code nearswap},
 * {@code arcee_fusion}, and the SVD merges through {@link SpectralMethod}): each subclass names its global
 * parameters, kernel and how many inputs it merges.
 */
abstract class UnweightedMethod implements MergeMethod {
    private final boolean taskVector;
    private final int minInputs;
    private final int exactInputs;

    /**
     * @param taskVector  whether it adds a merged task vector to the base (LiNeS applies)
     * @param minInputs   the fewest inputs, base included (1 where exactInputs says it all)
     * @param exactInputs the exact number of inputs, base included, or 0 for any
     */
    UnweightedMethod(boolean taskVector, int minInputs, int exactInputs) {
        this.taskVector = taskVector;
        this.minInputs = minInputs;
        this.exactInputs = exactInputs;
    }

    @Override
    public final BaseModel baseModel() {
        return BaseModel.REQUIRED;
    }

    @Override
    public final List<ParameterDef> modelParameters() {
        return List.of();
    }

    @Override
    public final boolean taskVector() {
        return taskVector;
    }

    @Override
    public final int minInputs() {
        return minInputs;
    }

    @Override
    public final int exactInputs() {
        return exactInputs;
    }
}
