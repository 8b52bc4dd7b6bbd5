package dev.graft.evaluation.experiment;

import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.lmtrain.ChecksInARow;
import dev.graft.evaluation.lmtrain.LlamaTrainer;
import dev.graft.evaluation.lmtrain.TaskScorer;
import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.text.TaskExamples;
import dev.graft.evaluation.text.TextExample;
import dev.graft.evaluation.text.TextTask;

import java.util.ArrayList;
import java.util.List;

/**
 * Text tasks fine-tuned from one pre-trained decoder: per task its fine-tune, its validation and test examples,
 * and the exact-match accuracies of the base and of the fine-tune on both splits.
 */
public final class FineTunedTasks {
    private final LlamaWeights base;
    private final List<TextTask> tasks;
    private final TaskScorer scorer;
    private final List<LlamaWeights> fineTunes = new ArrayList<>();
    private final List<List<TextExample>> validation = new ArrayList<>();
    private final List<List<TextExample>> test = new ArrayList<>();
    private final double[][] baseAccuracy;
    private final double[][] fineTunedAccuracy;
    private final int[] steps;

    /**
     * Fine-tunes {@code base} on each of the first {@code count} of {@code config}'s tasks' training split under
     * {@code seed}, each on its own schedule ({@link EvaluationConfig#fineTuning(int)}), until the fine-tune's
     * validation accuracy reaches {@link EvaluationConfig#stopAccuracy()} on {@link EvaluationConfig#stopChecks()}
     * checks in a row (asked every {@link EvaluationConfig#checkEvery()} steps; never asked when the stop accuracy
     * is above 1) or the schedule ends, and scores base and fine-tune on the task's validation and test examples.
     * Those are drawn under {@link EvaluationConfig#splitSeed()}, the same for every seed, as the papers' test sets
     * are fixed; {@code seed} varies the fine-tuning data and order.
     */
    public FineTunedTasks(LlamaWeights base, EvaluationConfig config, LlamaTrainer trainer, long seed, int count) {
        if (count < 1 || count > config.tasks().size()) {
            throw new IllegalArgumentException("fine-tune 1 to " + config.tasks().size() + " tasks, not " + count);
        }
        this.base = base;
        this.tasks = List.copyOf(config.tasks().subList(0, count));
        this.scorer = new TaskScorer(base.shape(), config.threads());
        baseAccuracy = new double[2][tasks.size()];
        fineTunedAccuracy = new double[2][tasks.size()];
        steps = new int[tasks.size()];
        for (int k = 0; k < tasks.size(); k++) {
            TextTask task = tasks.get(k);
            validation.add(TaskExamples.of(task, Split.VALIDATION, config.splitSeed(), config.validationExamples()));
            test.add(TaskExamples.of(task, Split.TEST, config.splitSeed(), config.testExamples()));
            int index = k;
            LlamaTrainer.StopRule stop = config.stopAccuracy() > 1 ? (w, s) -> false
                    : new ChecksInARow(w -> accuracy(w, index, Split.VALIDATION), config.stopAccuracy(),
                    config.stopChecks());
            LlamaTrainer.Stopped ft = trainer.fineTune(base, task, seed, config.fineTuning(k), config.tuned(),
                    config.checkEvery(), stop);
            fineTunes.add(ft.weights());
            steps[k] = ft.steps();
            baseAccuracy[0][k] = accuracy(base, k, Split.VALIDATION);
            baseAccuracy[1][k] = accuracy(base, k, Split.TEST);
            fineTunedAccuracy[0][k] = accuracy(ft.weights(), k, Split.VALIDATION);
            fineTunedAccuracy[1][k] = accuracy(ft.weights(), k, Split.TEST);
        }
    }

    /** Fine-tunes all of {@code config}'s {@link EvaluationConfig#taskCount()} tasks, as above. */
    public FineTunedTasks(LlamaWeights base, EvaluationConfig config, LlamaTrainer trainer, long seed) {
        this(base, config, trainer, seed, config.taskCount());
    }

    /** The Adam steps task {@code k}'s fine-tune took. */
    public int steps(int k) {
        return steps[k];
    }

    public LlamaWeights base() {
        return base;
    }

    public List<LlamaWeights> fineTunes() {
        return fineTunes;
    }

    public List<TextTask> tasks() {
        return tasks;
    }

    public int size() {
        return tasks.size();
    }

    /** Exact-match accuracy of {@code model} on task {@code k}'s examples of {@code split}. */
    public double accuracy(LlamaWeights model, int k, Split split) {
        return scorer.accuracy(model, tasks.get(k), examples(k, split));
    }

    /**
     * How many of task {@code k}'s examples {@code from} (inclusive) to {@code to} (exclusive) of {@code split}
     * {@code model} answers exactly, so that a score can be built up over slices of a split.
     */
    public int correct(LlamaWeights model, int k, Split split, int from, int to) {
        List<TextExample> slice = examples(k, split).subList(from, to);
        return slice.isEmpty() ? 0 : (int) Math.round(scorer.accuracy(model, tasks.get(k), slice) * slice.size());
    }

    /** Task {@code k}'s validation or test examples. */
    public List<TextExample> examples(int k, Split split) {
        return switch (split) {
            case VALIDATION -> validation.get(k);
            case TEST -> test.get(k);
            case TRAIN -> throw new IllegalArgumentException("tasks are scored on validation or test examples");
        };
    }

    public double baseAccuracy(int k, Split split) {
        return baseAccuracy[index(split)][k];
    }

    public double fineTunedAccuracy(int k, Split split) {
        return fineTunedAccuracy[index(split)][k];
    }

    /**
     * Mean over the first {@code n} tasks of {@code model}'s accuracy divided by the fine-tune's (the task-vector
     * papers' normalized accuracy), summed in task order.
     */
    public double normalizedAccuracy(LlamaWeights model, int n, Split split) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            s += accuracy(model, k, split) / fineTunedAccuracy(k, split);
        }
        return s / n;
    }

    /** The base's {@link #normalizedAccuracy}, from the stored accuracies. */
    public double baseNormalizedAccuracy(int n, Split split) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            s += baseAccuracy(k, split) / fineTunedAccuracy(k, split);
        }
        return s / n;
    }

    private static int index(Split split) {
        return switch (split) {
            case VALIDATION -> 0;
            case TEST -> 1;
            case TRAIN -> throw new IllegalArgumentException("tasks are scored on validation or test examples");
        };
    }
}
