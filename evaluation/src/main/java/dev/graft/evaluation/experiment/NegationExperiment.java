package dev.graft.evaluation.experiment;

import dev.graft.evaluation.merge.MergeSpec;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.merge.LlamaMerger;
import dev.graft.evaluation.text.Split;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Task negation (Ilharco et al., 2023): task arithmetic with weight −1 on one fine-tune. λ is chosen on the
 * validation split as in the paper: the lowest target accuracy among the λ that keep the other tasks (the controls)
 * at 95 % or more of their pre-trained accuracy.
 */
public final class NegationExperiment {
    /** The λ values tried. */
    public static final List<Double> LAMBDAS = List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 1.5, 2.0);
    /** The share of pre-trained accuracy the control tasks must keep. */
    public static final double CONTROL_FLOOR = 0.95;

    private NegationExperiment() {
    }

    /** Negates each of the first {@code targets} tasks in turn. */
    public static List<NegationOutcome> run(FineTunedTasks suite, LlamaMerger merger, int targets, long seed) {
        List<NegationOutcome> out = new ArrayList<>();
        for (int target = 0; target < Math.min(targets, suite.size()); target++) {
            // Fallback when no λ keeps the controls: the smallest, the least damaging.
            double bestLambda = LAMBDAS.getFirst();
            LlamaWeights best = merger.mergeOne(spec(bestLambda), target);
            double bestTarget = Double.POSITIVE_INFINITY;
            for (double lambda : LAMBDAS) {
                LlamaWeights negated = merger.mergeOne(spec(lambda), target);
                if (retained(suite, negated, target, Split.VALIDATION) < CONTROL_FLOOR) {
                    continue;
                }
                double acc = suite.accuracy(negated, target, Split.VALIDATION);
                if (acc < bestTarget) {
                    best = negated;
                    bestTarget = acc;
                    bestLambda = lambda;
                }
            }
            out.add(new NegationOutcome(seed, target, bestLambda, suite.baseAccuracy(target, Split.TEST),
                    suite.fineTunedAccuracy(target, Split.TEST), suite.accuracy(best, target, Split.TEST),
                    retained(suite, best, target, Split.TEST)));
        }
        return out;
    }

    private static MergeSpec spec(double lambda) {
        return new MergeSpec("negation", "task_arithmetic", Map.of("weight", -1.0), Map.of("lambda", lambda));
    }

    /**
     * The controls' summed accuracy over their summed pre-trained accuracy (a ratio of sums, defined when one
     * control's base scores 0).
     */
    private static double retained(FineTunedTasks suite, LlamaWeights model, int target, Split split) {
        double kept = 0;
        double before = 0;
        for (int k = 0; k < suite.size(); k++) {
            if (k != target) {
                kept += suite.accuracy(model, k, split);
                before += suite.baseAccuracy(k, split);
            }
        }
        return before == 0 ? 1 : kept / before;
    }
}
