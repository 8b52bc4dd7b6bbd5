package dev.graft.evaluation.experiment;

import java.util.List;

/**
 * Everything one evaluation measured, row by row (one row per seed), for the report and the tests.
 *
 * @param config         what was run
 * @param merges         multi-task merging, per seed, task count and method
 * @param negations      task negation, per seed and target
 * @param ablation       the sign-conflict ablation, per seed and similarity
 * @param reconstructions adapters and compressed deltas, per seed, task and setting (empty when none were given)
 * @param interference   how much the fine-tunes interfere, per seed
 * @param seconds        wall-clock time of the run
 */
public record EvaluationResults(EvaluationConfig config, List<MergeOutcome> merges, List<NegationOutcome> negations,
                                List<AblationOutcome> ablation, List<ReconstructionOutcome> reconstructions,
                                List<Interference> interference, double seconds) {
    public EvaluationResults {
        merges = List.copyOf(merges);
        negations = List.copyOf(negations);
        ablation = List.copyOf(ablation);
        reconstructions = List.copyOf(reconstructions);
        interference = List.copyOf(interference);
    }

    /** The test scores of {@code method} at {@code tasks} tasks, one per seed in seed order. */
    public double[] testScores(String method, int tasks) {
        return merges.stream().filter(m -> m.method().equals(method) && m.tasks() == tasks)
                .mapToDouble(MergeOutcome::test).toArray();
    }

    /** The methods in report order, as they appear in the rows. */
    public List<String> methods() {
        return merges.stream().map(MergeOutcome::method).distinct().toList();
    }
}
