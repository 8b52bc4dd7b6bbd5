package dev.graft.core.plan;

import java.util.List;

/**
 * Where one output tensor comes from: which models contribute, which of their tensors (the name can differ from
 * the output's when layers are re-stacked), and how its parameters are resolved.
 *
 * @param output     the output tensor's name
 * @param models     indices into {@link MergeRequest#models()} of the contributing models, in kernel order
 * @param inputs     each contributing model's tensor name
 * @param base       index into {@code models} of the base model, or -1
 * @param parameters where parameter values come from for this tensor
 * @param t          the tensor's position in its layer range, 0…1, for gradients (0 outside blocks)
 * @param block      the output block the tensor belongs to, or -1 outside blocks (LiNeS scales by it)
 */
public record TensorRoute(String output, List<Integer> models, List<String> inputs, int base,
                          ParameterSource parameters, double t, int block) {
    public TensorRoute {
        models = List.copyOf(models);
        inputs = List.copyOf(inputs);
        if (models.size() != inputs.size()) {
            throw new IllegalArgumentException(output + ": " + models.size() + " models for " + inputs.size() + " inputs");
        }
    }
}
