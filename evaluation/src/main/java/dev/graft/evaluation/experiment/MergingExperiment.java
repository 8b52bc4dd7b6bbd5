package dev.graft.evaluation.experiment;

import dev.graft.evaluation.merge.MergeSpec;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.merge.LlamaMerger;
import dev.graft.evaluation.text.Split;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Multi-task merging: for each number of tasks, each method's hyper-parameters are chosen by the mean normalized
 * accuracy on the validation split (screened, {@link ValidationScreen}) and reported on the test split; then LiNeS's
 * variants are chosen the same way on top of the chosen merge.
 */
public final class MergingExperiment {
    private MergingExperiment() {
    }

    /** All rows for one seed. */
    public static List<MergeOutcome> run(FineTunedTasks suite, LlamaMerger merger, List<Integer> taskCounts,
                                         List<String> methods, ValidationScreen screen, long seed) {
        List<MergeOutcome> out = new ArrayList<>();
        for (int n : taskCounts) {
            out.add(new MergeOutcome(seed, n, "pretrained", "-", suite.baseNormalizedAccuracy(n, Split.VALIDATION),
                    suite.baseNormalizedAccuracy(n, Split.TEST)));
            out.add(new MergeOutcome(seed, n, "fine-tuned", "-", 1, 1));
            for (Map.Entry<String, List<MergeSpec>> family : MethodGrid.candidates(n, methods).entrySet()) {
                Chosen best = choose(suite, merger, family.getValue(), n, screen);
                out.add(best.outcome(seed, n, family.getKey(), suite));
                List<MergeSpec> lines = MethodGrid.withLines(best.spec, n);
                if (!lines.isEmpty()) {
                    // the last variant (α = 1, β = 0) is the chosen merge itself: it keeps its scores instead of
                    // being merged and scored again, and wins ties, so LiNeS is never worse on validation
                    Chosen scaled = choose(suite, merger, lines.subList(0, lines.size() - 1), n, screen);
                    Chosen itself = new Chosen(lines.getLast(), best.merged, best.validation);
                    out.add((scaled.validation > itself.validation ? scaled : itself)
                            .outcome(seed, n, family.getKey() + "+lines", suite));
                }
            }
        }
        return out;
    }

    /**
     * The candidate with the best validation score (the first in grid order on ties), with its test score: every
     * candidate is scored on the screen's first prompts of each task's validation split, the screen's finalists
     * (the best there) on the rest as well.
     */
    static Chosen choose(FineTunedTasks suite, LlamaMerger merger, List<MergeSpec> candidates, int n,
                         ValidationScreen screen) {
        int all = suite.examples(0, Split.VALIDATION).size();
        int first = Math.min(screen.examples(), all);
        List<Scored> scored = new ArrayList<>();
        for (MergeSpec spec : candidates) {
            LlamaWeights merged = merger.merge(spec, n);
            int[] right = new int[n];
            for (int k = 0; k < n; k++) {
                right[k] = suite.correct(merged, k, Split.VALIDATION, 0, first);
            }
            scored.add(new Scored(spec, merged, right));
        }
        double[] screened = scored.stream().mapToDouble(c -> c.score(suite, first)).toArray();
        Chosen best = null;
        for (int i : finalists(screened, screen.finalists())) {
            Scored c = scored.get(i);
            for (int k = 0; k < n; k++) {
                c.right()[k] += suite.correct(c.merged(), k, Split.VALIDATION, first, all);
            }
            double v = c.score(suite, all);
            if (best == null || v > best.validation) {
                best = new Chosen(c.spec(), c.merged(), v);
            }
        }
        return best;
    }

    /**
     * The indices of the {@code keep} best of {@code scores}, in index order; among equal scores the lower index
     * goes on, so the choice does not depend on anything but the scores and the grid's order.
     */
    static List<Integer> finalists(double[] scores, int keep) {
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed().thenComparing(i -> i))
                .limit(keep).sorted().toList();
    }

    /** A candidate with its exact answers per task so far. */
    private record Scored(MergeSpec spec, LlamaWeights merged, int[] right) {
        /** The normalized accuracy of {@code right} out of {@code prompts} per task. */
        double score(FineTunedTasks suite, int prompts) {
            double s = 0;
            for (int k = 0; k < right.length; k++) {
                s += (double) right[k] / prompts / suite.fineTunedAccuracy(k, Split.VALIDATION);
            }
            return s / right.length;
        }
    }

    /** A chosen merge. */
    record Chosen(MergeSpec spec, LlamaWeights merged, double validation) {
        MergeOutcome outcome(long seed, int n, String method, FineTunedTasks suite) {
            return new MergeOutcome(seed, n, method, spec.describe(), validation,
                    suite.normalizedAccuracy(merged, n, Split.TEST));
        }
    }
}
