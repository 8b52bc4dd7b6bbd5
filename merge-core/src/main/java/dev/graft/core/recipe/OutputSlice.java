package dev.graft.core.recipe;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A run of consecutive output blocks, each merged from the corresponding block of every source.
 *
 * <p>All sources cover the same number of blocks (checked when the recipe is parsed, and by
 * {@link Recipe#outputSlices}), so block {@code k} of the slice is merged from block
 * {@code source.layerRange().layer(k)} of each source.
 *
 * @param sources    the inputs, at least one, each model at most once
 * @param baseModel  a base model for this slice only, overriding the recipe's
 * @param parameters the slice's {@code parameters:} block (empty when it has none)
 */
public record OutputSlice(List<InputSlice> sources, Optional<ModelRef> baseModel, Parameters parameters) {

    public OutputSlice {
        sources = List.copyOf(sources);
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(parameters, "parameters");
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("an output slice needs at least one source");
        }
        int layers = sources.getFirst().layerRange().length();
        Set<ModelRef> seen = new HashSet<>();
        for (InputSlice s : sources) {
            if (!seen.add(s.model())) {
                // mergekit keys a slice's inputs by model, so a second source of the same model would be lost
                throw new IllegalArgumentException("model " + s.model() + " appears twice in one slice");
            }
            if (s.layerRange().length() != layers) {
                throw new IllegalArgumentException("all sources of a slice must have the same number of layers: "
                        + sources.getFirst().model() + " has " + layers + ", " + s.model() + " has "
                        + s.layerRange().length());
            }
        }
    }

    /** The number of output blocks this slice produces. */
    public int layerCount() {
        return sources.getFirst().layerRange().length();
    }

    /** The source models, in recipe order. */
    public List<ModelRef> models() {
        return sources.stream().map(InputSlice::model).toList();
    }
}
