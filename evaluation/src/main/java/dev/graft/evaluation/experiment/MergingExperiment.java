package dev.graft.evaluation.experiment;

import dev.graft.evaluation.merge.MergeSpec;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.merge.LlamaMerger;
import dev.graft.evaluation.text.Split;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Multi-task merging: for each number of tasks, each method's hyper-parameters are chosen by the mean normalized
 * accuracy on the validation split and reported on the test split; then LiNeS's beta is chosen the same way on top
 * of the chosen merge.
 */
public final class MergingExperiment {
    private MergingExperiment() {
    }

    /** All rows for one seed. */
    public static List<MergeOutcome> run(FineTunedTasks suite, LlamaMerger merger, List<Integer> taskCounts,
                                         List<String> methods, long seed) {
        List<MergeOutcome> out = new ArrayList<>();
        for (int n : taskCounts) {
            out.add(new MergeOutcome(seed, n, "pretrained", "-", suite.baseNormalizedAccuracy(n, Split.VALIDATION),
                    suite.baseNormalizedAccuracy(n, Split.TEST)));
            out.add(new MergeOutcome(seed, n, "fine-tuned", "-", 1, 1));
            for (Map.Entry<String, List<MergeSpec>> family : MethodGrid.candidates(n, methods).entrySet()) {
                Chosen best = choose(suite, merger, family.getValue(), n);
                out.add(best.outcome(seed, n, family.getKey(), suite));
                List<MergeSpec> lines = MethodGrid.withLines(best.spec, n);
                if (!lines.isEmpty()) {
                    out.add(choose(suite, merger, lines, n).outcome(seed, n, family.getKey() + "+lines", suite));
                }
            }
        }
        return out;
    }

    /** The candidate with the best validation score (the first on ties), with its test score. */
    static Chosen choose(FineTunedTasks suite, LlamaMerger merger, List<MergeSpec> candidates, int n) {
        Chosen best = null;
        for (MergeSpec spec : candidates) {
            LlamaWeights merged = merger.merge(spec, n);
            double v = suite.normalizedAccuracy(merged, n, Split.VALIDATION);
            if (best == null || v > best.validation) {
                best = new Chosen(spec, merged, v);
            }
        }
        return best;
    }

    /** A chosen merge. */
    record Chosen(MergeSpec spec, LlamaWeights merged, double validation) {
        MergeOutcome outcome(long seed, int n, String method, FineTunedTasks suite) {
            return new MergeOutcome(seed, n, method, spec.describe(), validation,
                    suite.normalizedAccuracy(merged, n, Split.TEST));
        }
    }
}
