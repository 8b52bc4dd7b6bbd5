package dev.graft.evaluation.experiment;

/**
 * A reconstructed fine-tune's accuracy on its own task.
 *
 * @param seed             the replicate
 * @param task             the task
 * @param name             the reconstruction's row label
 * @param family           its family
 * @param bitsPerParameter its storage cost
 * @param normalized       its test accuracy divided by the full fine-tune's
 */
public record ReconstructionOutcome(long seed, int task, String name, String family, double bitsPerParameter,
                                    double normalized) {
}
