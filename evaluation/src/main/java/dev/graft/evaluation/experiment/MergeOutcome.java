package dev.graft.evaluation.experiment;

/**
 * The result of one method on one seed and number of tasks.
 *
 * @param seed       the replicate
 * @param tasks      how many tasks were merged
 * @param method     the row ({@code "ties"}, {@code "ties+lines"}, {@code "pretrained"}, {@code "fine-tuned"} …)
 * @param chosen     the hyper-parameters chosen on the validation split
 * @param validation the mean normalized accuracy on the validation split
 * @param test       the mean normalized accuracy on the test split
 */
public record MergeOutcome(long seed, int tasks, String method, String chosen, double validation, double test) {
}
