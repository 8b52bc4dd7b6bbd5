package dev.graft.evaluation.experiment;

import dev.graft.evaluation.data.Dataset;
import dev.graft.evaluation.data.Seeds;
import dev.graft.evaluation.data.Task;
import dev.graft.evaluation.net.Heads;
import dev.graft.evaluation.net.Trunk;
import dev.graft.evaluation.train.Evaluator;
import dev.graft.evaluation.train.Trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Tasks fine-tuned from one base: per task its frozen head, fine-tuned trunk, validation and test splits, and the
 * accuracies of the base and of the fine-tune on both splits.
 */
public final class FineTunedTasks {
    private final Trunk base;
    private final List<Task> tasks;
    private final List<Heads> heads = new ArrayList<>();
    private final List<Trunk> fineTunes = new ArrayList<>();
    private final List<Dataset> validation = new ArrayList<>();
    private final List<Dataset> test = new ArrayList<>();
    private final double[][] baseAccuracy;
    private final double[][] fineTunedAccuracy;

    /** Fits each task's head on {@code base}, fine-tunes under it and measures both. */
    public FineTunedTasks(Trunk base, List<Task> tasks, EvaluationConfig config, long seed) {
        this.base = base;
        this.tasks = List.copyOf(tasks);
        Trainer trainer = new Trainer(config.training());
        baseAccuracy = new double[2][tasks.size()];
        fineTunedAccuracy = new double[2][tasks.size()];
        for (Task task : tasks) {
            Heads head = trainer.fitHead(base, task, seed);
            heads.add(head);
            validation.add(Dataset.draw(task.teacher(), task.region(), config.validationExamples(),
                    Seeds.stream(seed, "validation-" + task.name(), task.index())));
            test.add(Dataset.draw(task.teacher(), task.region(), config.testExamples(),
                    Seeds.stream(seed, "test-" + task.name(), task.index())));
            Trunk ft = trainer.fineTune(base, head, task, seed);
            fineTunes.add(ft);
            int k = task.index();
            baseAccuracy[0][k] = accuracy(base, k, Split.VALIDATION);
            baseAccuracy[1][k] = accuracy(base, k, Split.TEST);
            fineTunedAccuracy[0][k] = accuracy(ft, k, Split.VALIDATION);
            fineTunedAccuracy[1][k] = accuracy(ft, k, Split.TEST);
        }
    }

    /** Which examples an accuracy is measured on. */
    public enum Split { VALIDATION, TEST }

    public Trunk base() {
        return base;
    }

    public List<Trunk> fineTunes() {
        return fineTunes;
    }

    public int size() {
        return tasks.size();
    }

    /** Accuracy of {@code trunk} on task {@code k} with its head. */
    public double accuracy(Trunk trunk, int k, Split split) {
        return Evaluator.accuracy(trunk, heads.get(k), (split == Split.TEST ? test : validation).get(k), 0);
    }

    public double baseAccuracy(int k, Split split) {
        return baseAccuracy[split.ordinal()][k];
    }

    public double fineTunedAccuracy(int k, Split split) {
        return fineTunedAccuracy[split.ordinal()][k];
    }

    /**
     * Mean over the first {@code n} tasks of {@code trunk}'s accuracy divided by the fine-tune's. Tasks are scored in
     * parallel (idle cores help the last seeds) and summed in task order, so the result does not depend on it.
     */
    public double normalizedAccuracy(Trunk trunk, int n, Split split) {
        double[] ratio = new double[n];
        IntStream.range(0, n).parallel()
                .forEach(k -> ratio[k] = accuracy(trunk, k, split) / fineTunedAccuracy(k, split));
        double s = 0;
        for (double r : ratio) {
            s += r;
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
}
