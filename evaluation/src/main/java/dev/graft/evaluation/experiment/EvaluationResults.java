package dev.graft.evaluation.experiment;

import java.util.List;

/**
 * Everything one evaluation measured, row by row (one row per seed), for the report and the tests.
 *
 * @param config         what was run
 * @param fineTunes      each task's pre-trained and fine-tuned accuracy, per seed
 * @param merges         multi-task merging, per seed, task count and method
 * @param negations      task negation, per seed and target
 * @param reconstructions adapters and compressed deltas, per seed, task and setting (empty when none were given)
 * @param interference   how much the fine-tunes interfere, per seed
 * @param seconds        wall-clock time of the run
 * @param conditions     where it ran: cores, threads and the system load average before and after, since other
 *                       work on the machine slows it down
 * @param command        the command line that ran it, for the report (empty when run from the Java API)
 */
public record EvaluationResults(EvaluationConfig config, List<FineTuneOutcome> fineTunes, List<MergeOutcome> merges,
                                List<NegationOutcome> negations, List<ReconstructionOutcome> reconstructions,
                                List<Interference> interference, double seconds, String conditions,
                                String command) {
    public EvaluationResults {
        merges = List.copyOf(merges);
        negations = List.copyOf(negations);
        fineTunes = List.copyOf(fineTunes);
        reconstructions = List.copyOf(reconstructions);
        interference = List.copyOf(interference);
    }

    /** These results, labelled with the command line that produced them. */
    public EvaluationResults withCommand(String value) {
        return new EvaluationResults(config, fineTunes, merges, negations, reconstructions, interference, seconds,
                conditions, value);
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
