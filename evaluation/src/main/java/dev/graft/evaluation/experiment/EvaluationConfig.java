package dev.graft.evaluation.experiment;

import dev.graft.evaluation.net.TrunkShape;
import dev.graft.evaluation.train.TrainingConfig;

import java.util.List;

/**
 * Everything that defines an evaluation run; the same config and seeds give the same numbers.
 *
 * @param seeds              the seeds (one full replicate each: pre-training, tasks, fine-tunes, merges)
 * @param taskCounts         the numbers of tasks merged (the first n tasks of each seed); the largest is the number
 *                           of tasks fine-tuned
 * @param shape              the trunk's sizes
 * @param classes            classes per task
 * @param pretrainTeachers   tasks in the pre-training mixture
 * @param taskSharpness      sharpness of the downstream teachers (see {@code Teacher.random})
 * @param training           training lengths and rates
 * @param validationExamples examples per task on which hyper-parameters are chosen
 * @param testExamples       examples per task on which results are reported
 * @param negationTargets    tasks negated in turn (each of the first n)
 * @param ablationSeeds      how many of the seeds also run the sign-conflict ablation
 * @param ablationSimilarity the task similarities ρ of the ablation
 * @param ablationTasks      tasks merged in the ablation
 * @param threads            seeds run in parallel on this many threads
 */
public record EvaluationConfig(List<Long> seeds, List<Integer> taskCounts, TrunkShape shape, int classes,
                               int pretrainTeachers, double taskSharpness, TrainingConfig training,
                               int validationExamples, int testExamples, int negationTargets, int ablationSeeds,
                               List<Double> ablationSimilarity, int ablationTasks, int threads) {
    public EvaluationConfig {
        seeds = List.copyOf(seeds);
        taskCounts = List.copyOf(taskCounts);
        ablationSimilarity = List.copyOf(ablationSimilarity);
        if (seeds.isEmpty() || taskCounts.isEmpty()) {
            throw new IllegalArgumentException("an evaluation needs at least one seed and one task count");
        }
        if (taskCounts.stream().anyMatch(n -> n < 2)) {
            throw new IllegalArgumentException("merges need at least 2 tasks: " + taskCounts);
        }
    }

    /** The published evaluation: 5 seeds, 2 to 8 tasks, the ablation on every seed. */
    public static EvaluationConfig full(int threads) {
        return new EvaluationConfig(List.of(1L, 2L, 3L, 4L, 5L), List.of(2, 4, 6, 8), new TrunkShape(16, 64, 128, 4),
                4, 16, 2.0, TrainingConfig.standard(), 1000, 2000, 2, 5, List.of(0.0, 0.6, 0.9), 4, threads);
    }

    /** The reduced run of the CI test: one seed, 2 and 3 tasks, short training, no ablation. */
    public static EvaluationConfig quick(int threads) {
        return new EvaluationConfig(List.of(1L), List.of(2, 3), new TrunkShape(16, 32, 64, 4), 4, 8, 2.0,
                new TrainingConfig(600, 32, 2e-3, 100, 1024, 500, 32, 3e-4), 400, 800, 1, 0, List.of(), 3, threads);
    }

    /** This config with seeds 1 … {@code count}. */
    public EvaluationConfig withSeeds(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("seeds must be at least 1, not " + count);
        }
        List<Long> s = java.util.stream.LongStream.rangeClosed(1, count).boxed().toList();
        return new EvaluationConfig(s, taskCounts, shape, classes, pretrainTeachers, taskSharpness, training,
                validationExamples, testExamples, negationTargets, Math.min(ablationSeeds, count), ablationSimilarity,
                ablationTasks, threads);
    }

    /** This config with a trunk of this width (inner size twice it). */
    public EvaluationConfig withWidth(int width) {
        return new EvaluationConfig(seeds, taskCounts, new TrunkShape(shape.inputs(), width, 2 * width,
                shape.blocks()), classes, pretrainTeachers, taskSharpness, training, validationExamples,
                testExamples, negationTargets, ablationSeeds, ablationSimilarity, ablationTasks, threads);
    }

    /** The number of tasks each seed fine-tunes. */
    public int tasks() {
        return taskCounts.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }
}
