package dev.graft.core.recipe;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Looks parameters up for the tensors of one output slice, in mergekit's order ({@code ConfigReader.parameter}):
 *
 * <ol>
 *   <li>the model's own block: its {@code models[i].parameters} or {@code slices[s].sources[j].parameters}
 *       (per-model lookups only);</li>
 *   <li>the slice's {@code parameters};</li>
 *   <li>the top-level {@code parameters};</li>
 *   <li>the method's default, which the caller applies to an empty result.</li>
 * </ol>
 *
 * <p>Each level's setting is evaluated for the tensor and {@code t}; the first that yields a value wins, so a
 * filter list that matches nothing falls through to the next level. Global parameters ({@code lambda},
 * {@code normalize}, {@code t} …) are looked up without a model, so a model's own block never sets them; their
 * filters match the <em>output</em> tensor name. Per-model parameters ({@code weight}, {@code density} …) match
 * the model's <em>input</em> tensor name (the same name unless the architectures differ).
 */
public final class ParameterResolver {
    private final Recipe recipe;
    private final OutputSlice slice;

    ParameterResolver(Recipe recipe, OutputSlice slice) {
        this.recipe = Objects.requireNonNull(recipe, "recipe");
        this.slice = Objects.requireNonNull(slice, "slice");
    }

    /** The slice this resolver reads. */
    public OutputSlice slice() {
        return slice;
    }

    /** The slice's input models, in order. */
    public List<ModelRef> models() {
        return slice.models();
    }

    /** The base model for this slice: the slice's own {@code base_model}, else the recipe's. */
    public Optional<ModelRef> baseModel() {
        return slice.baseModel().or(recipe::baseModel);
    }

    /**
     * A global (per-method) parameter for one output tensor: the slice's block, then the top level.
     *
     * @param outputTensor the output tensor's name, matched by filters
     * @param t            the layer position ({@link GradientT})
     * @return empty when no level sets it for this tensor; the caller then uses the method default
     */
    public Optional<ParameterValue> global(String name, String outputTensor, double t) {
        return fromBlock(slice.parameters(), name, outputTensor, t)
                .or(() -> fromBlock(recipe.parameters(), name, outputTensor, t));
    }

    /**
     * A per-model parameter for one model's input tensor: the model's own block in this slice, then the slice's
     * block, then the top level. A model that is not a source of the slice (a base model mergekit did not add)
     * has no block of its own, so its lookup starts at the slice level, as in mergekit.
     *
     * @param inputTensor the model's input tensor name, matched by filters
     * @param t           the layer position ({@link GradientT})
     * @return empty when no level sets it for this tensor; the caller then uses the method default
     */
    public Optional<ParameterValue> perModel(String name, ModelRef model, String inputTensor, double t) {
        for (InputSlice s : slice.sources()) {
            if (s.model().equals(model)) {
                Optional<ParameterValue> v = fromBlock(s.parameters(), name, inputTensor, t);
                if (v.isPresent()) {
                    return v;
                }
            }
        }
        return global(name, inputTensor, t);
    }

    /**
     * {@link #global}, for a parameter the method requires.
     *
     * @throws RecipeException when no level sets it for this tensor
     */
    public ParameterValue requireGlobal(String name, String outputTensor, double t) {
        return global(name, outputTensor, t).orElseThrow(() -> new RecipeException(recipe.source(),
                "missing required parameter '" + name + "' for tensor " + outputTensor
                        + "; set it under parameters:"));
    }

    /**
     * {@link #perModel}, for a parameter the method requires of every model but the base (mergekit does not
     * require per-model parameters of the base model; the caller decides which model that is).
     *
     * @throws RecipeException when no level sets it for this model and tensor
     */
    public ParameterValue requirePerModel(String name, ModelRef model, String inputTensor, double t) {
        return perModel(name, model, inputTensor, t).orElseThrow(() -> new RecipeException(recipe.source(),
                "missing required parameter '" + name + "' for model " + model + ", tensor " + inputTensor
                        + "; set it in the model's parameters: or under the top-level parameters:"));
    }

    private Optional<ParameterValue> fromBlock(Parameters block, String name, String tensor, double t) {
        return block.get(name).flatMap(s -> s.evaluate(tensor, t))
                .map(v -> new ParameterValue(name, v, block.locationOf(name), recipe.source()));
    }
}
