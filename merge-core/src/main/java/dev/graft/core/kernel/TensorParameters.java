package dev.graft.core.kernel;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A method's parameters resolved for one output tensor: per-model values (gradients and filters already evaluated
 * for this tensor), global values, the seed of random methods and the LiNeS scale of the tensor.
 *
 * @param tensor     output tensor name (random methods key their streams on it)
 * @param inputNames each input's model name, as the recipe or command line gives it; random methods key each
 *                   model's stream on it, so results do not depend on the order models are listed in
 * @param perModel   for each input (same order as {@link TensorInputs}), its per-model parameters; the base
 *                   model's map holds whatever the recipe gave it (usually nothing)
 * @param global     global parameters, defaults filled in
 * @param seed       the merge's seed
 * @param linesScale the LiNeS factor applied to this tensor's merged task vector (1 without LiNeS)
 */
public record TensorParameters(String tensor, List<String> inputNames, List<Map<String, Object>> perModel,
                               Map<String, Object> global, long seed, double linesScale) {
    public TensorParameters {
        Objects.requireNonNull(tensor);
        inputNames = List.copyOf(inputNames);
        // Insertion order is kept (the dry run prints parameters in declaration order).
        perModel = perModel.stream().map(TensorParameters::ordered).toList();
        global = ordered(global);
    }

    private static Map<String, Object> ordered(Map<String, Object> m) {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m));
    }

    /** The same parameters with another LiNeS scale (set once {@code alpha: auto} is known). */
    public TensorParameters withLinesScale(double scale) {
        return new TensorParameters(tensor, inputNames, perModel, global, seed, scale);
    }

    /** A per-model number; {@code fallback} when absent. */
    public double modelDouble(int input, String name, double fallback) {
        Object v = perModel.get(input).get(name);
        return v == null ? fallback : ((Number) v).doubleValue();
    }

    /** A global number (defaults are filled in by the planner, so it is present for declared parameters). */
    public double globalDouble(String name) {
        return ((Number) require(name)).doubleValue();
    }

    /**
     * A global number, or empty when the method's default is a {@link dev.graft.core.method.ParameterDef.Rule}
     * (such as {@code 1/T}) the kernel computes itself.
     */
    public java.util.OptionalDouble globalNumber(String name) {
        Object v = require(name);
        return v instanceof Number n ? java.util.OptionalDouble.of(n.doubleValue()) : java.util.OptionalDouble.empty();
    }

    public boolean globalBoolean(String name) {
        Object v = require(name);
        return v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString());
    }

    public String globalString(String name) {
        return require(name).toString();
    }

    private Object require(String name) {
        Object v = global.get(name);
        if (v == null) {
            throw new IllegalStateException("parameter " + name + " was not resolved for " + tensor);
        }
        return v;
    }
}
