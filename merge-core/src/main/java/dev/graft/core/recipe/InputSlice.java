package dev.graft.core.recipe;

import java.util.Objects;

/**
 * One source of an output slice: a range of blocks of one model, with that model's parameters for the slice.
 *
 * @param model      the model
 * @param layerRange the blocks taken, half-open
 * @param parameters its {@code parameters:} block (empty when the source has none)
 */
public record InputSlice(ModelRef model, LayerRange layerRange, Parameters parameters) {
    public InputSlice {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(layerRange, "layerRange");
        Objects.requireNonNull(parameters, "parameters");
    }
}
