package dev.graft.core.plan;

import dev.graft.formats.model.ModelSource;

import java.util.List;

/**
 * How a merge maps input tensors to output tensors when it is not one-to-one by name: mergekit's {@code slices:},
 * which stack or recombine layer ranges of several models.
 */
public interface Routing {
    /**
     * @param sources the request's models, opened
     * @throws PlanException for layer ranges the models do not have
     */
    List<TensorRoute> routes(List<ModelSource> sources);

    /** Blocks in the output, written to {@code config.json}. */
    int outputLayers();
}
