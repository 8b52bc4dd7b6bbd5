package dev.graft.core.plan;

import dev.graft.formats.tensor.TensorSpec;

/**
 * One input of a tensor task: which model and which of its tensors (usually the output's name; the tied input
 * embedding for a model without {@code lm_head.weight}).
 *
 * @param model index into {@link Plan#models()}
 * @param spec  the tensor as stored in that model
 */
public record TaskInput(int model, TensorSpec spec) {
}
