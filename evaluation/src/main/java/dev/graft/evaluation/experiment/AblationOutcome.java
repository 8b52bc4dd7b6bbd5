package dev.graft.evaluation.experiment;

/**
 * TIES against task arithmetic on tasks of a given similarity.
 *
 * @param seed           the replicate
 * @param similarity     ρ, the share of a common teacher in every task
 * @param signConflicts  among parameters where two or more task vectors keep an entry after trimming to the top
 *                       20 % by magnitude, the fraction where those entries disagree in sign
 * @param taskArithmetic task arithmetic's normalized test accuracy (λ chosen on validation)
 * @param ties           TIES's normalized test accuracy (density and λ chosen on validation)
 */
public record AblationOutcome(long seed, double similarity, double signConflicts, double taskArithmetic,
                              double ties) {
    /** TIES's gain over task arithmetic. */
    public double tiesGain() {
        return ties - taskArithmetic;
    }
}
