package dev.graft.core.recipe;

import java.util.Objects;

/**
 * One entry of a {@code models:} recipe: a whole model and its per-model parameters.
 *
 * @param model      the model
 * @param parameters its {@code parameters:} block (empty when the entry has none)
 */
public record InputModel(ModelRef model, Parameters parameters) {
    public InputModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(parameters, "parameters");
    }
}
