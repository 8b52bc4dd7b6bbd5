package dev.graft.evaluation.experiment;

import dev.graft.evaluation.text.Split;

import java.util.ArrayList;
import java.util.List;

/**
 * A task's exact-match test accuracy with the pre-trained model and with its fine-tune: how far apart the models
 * being merged are.
 *
 * @param seed       the replicate
 * @param task       the task's id
 * @param pretrained the pre-trained model's accuracy
 * @param fineTuned  the fine-tune's accuracy
 * @param steps      the Adam steps the fine-tune took (its schedule's, or fewer where an early stop ended it)
 */
public record FineTuneOutcome(long seed, String task, double pretrained, double fineTuned, int steps) {
    /** One row per task of {@code suite}. */
    static List<FineTuneOutcome> of(FineTunedTasks suite, long seed) {
        List<FineTuneOutcome> out = new ArrayList<>();
        for (int k = 0; k < suite.size(); k++) {
            out.add(new FineTuneOutcome(seed, suite.tasks().get(k).id(), suite.baseAccuracy(k, Split.TEST),
                    suite.fineTunedAccuracy(k, Split.TEST), suite.steps(k)));
        }
        return out;
    }
}
