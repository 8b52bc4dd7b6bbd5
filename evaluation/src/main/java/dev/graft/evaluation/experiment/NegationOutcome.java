package dev.graft.evaluation.experiment;

/**
 * Forgetting one task by subtracting its task vector ({@code θ = θ_base − λ·τ_target}), on the test split.
 *
 * @param seed              the replicate
 * @param target            the negated task
 * @param lambda            λ chosen on the validation split: the lowest target accuracy that keeps the control
 *                          tasks at ≥ 95 % of their pre-trained accuracy
 * @param targetPretrained  the target task's accuracy with the base model
 * @param targetFineTuned   its accuracy with its fine-tune
 * @param targetNegated     its accuracy after negation
 * @param controlRetained   the control tasks' summed accuracy after negation over their summed pre-trained
 *                          accuracy
 */
public record NegationOutcome(long seed, int target, double lambda, double targetPretrained, double targetFineTuned,
                              double targetNegated, double controlRetained) {
}
