package dev.graft.core.method;

import dev.graft.core.kernel.TensorKernel;

import java.util.List;

/**
 * A merge method: its declaration (name, parameters, base model needs, citation) and its per-tensor kernel.
 * Implementations are found with {@link java.util.ServiceLoader}, so adding a method is one class plus one line in
 * {@code META-INF/services/dev.graft.core.method.MergeMethod}.
 */
public interface MergeMethod {
    /** mergekit's name ({@code ties}, {@code dare_linear} …). */
    String name();

    /** One line for {@code graft merge --help} and the model card. */
    String summary();

    /** Paper or reference, for the model card and docs. */
    String citation();

    BaseModel baseModel();

    /** Parameters read once per tensor with no model ({@code lambda}, {@code normalize}, {@code t} …). */
    List<ParameterDef> globalParameters();

    /** Parameters each model carries ({@code weight}, {@code density} …); required ones are not required of the base. */
    List<ParameterDef> modelParameters();

    /**
     * Whether mergekit has this method, under this name with these parameters and semantics (the README and the
     * docs count mergekit's methods apart from the ones Graft adds).
     */
    default boolean mergekit() {
        return true;
    }

    /** Whether the method is a task-vector method (base + merged deltas), to which LiNeS scaling applies. */
    boolean taskVector();

    /** Minimum number of inputs, base included. */
    default int minInputs() {
        return 1;
    }

    /** Exact number of inputs, base included, or 0 for any. */
    default int exactInputs() {
        return 0;
    }

    /**
     * Exact number of models besides the base, or 0 for any: for a method that merges a fixed number of models
     * with or without a base ({@code nuslerp}: two), which {@link #exactInputs()} cannot say.
     */
    default int exactModels() {
        return 0;
    }

    /**
     * Checks one model's resolved per-model values together (constraints between parameters, such as DELLA's
     * {@code 0 < density − epsilon}), before any math.
     *
     * @return a problem description, or null when fine
     */
    default String checkModelParameters(java.util.Map<String, Object> values) {
        return null;
    }

    /**
     * Checks the values resolved for one tensor across its models together (a weight sum the method divides by),
     * before any math. The planner reports the first problem once for the whole merge.
     *
     * @param tensor    the output tensor, for the message
     * @param perModel  each input's per-model values, in input order
     * @param global    the global values, defaults filled in
     * @param baseInput which input is the base model, or -1
     * @param words     how the user spells parameters, for advice such as "use --no-normalize"
     * @return a one-line problem naming the tensor, or null when fine
     */
    default String checkTensorParameters(String tensor, java.util.List<java.util.Map<String, Object>> perModel,
                                         java.util.Map<String, Object> global, int baseInput,
                                         dev.graft.core.plan.Vocabulary words) {
        return null;
    }

    /**
     * Memory the kernel holds for one tensor beyond the engine's chunk buffers, in bytes, for the dry run's peak
     * estimate: 0 for the streaming methods; the SVD merges hold every model's task vector of a matrix at once,
     * with their factors, so theirs grows with the matrix times the number of models.
     *
     * @param shape  the shape the inputs are read as
     * @param inputs the number of inputs, base included
     */
    default long workingBytes(dev.graft.formats.tensor.Shape shape, int inputs) {
        return 0;
    }

    TensorKernel kernel();
}
