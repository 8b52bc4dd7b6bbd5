package dev.graft.evaluation.experiment;

import dev.graft.evaluation.llama.LlamaFolder;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.lmtrain.LlamaTrainer;
import dev.graft.evaluation.lmtrain.TaskScorer;
import dev.graft.evaluation.lmtrain.TrainingSchedule;
import dev.graft.evaluation.merge.LlamaMerger;
import dev.graft.evaluation.merge.MergeSpec;
import dev.graft.evaluation.reconstruct.CompressedDelta;
import dev.graft.evaluation.reconstruct.DeltaReconstruction;
import dev.graft.evaluation.reconstruct.PhloraReconstruction;
import dev.graft.evaluation.text.PretrainingText;
import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.text.TaskExamples;
import dev.graft.evaluation.text.TextExample;
import dev.graft.evaluation.text.TextTask;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The cost of each stage of {@code graft eval} at the published decoder's size, in process CPU seconds (the
 * machine it runs on may be shared) and wall seconds, run by hand (docs/benchmarks.md quotes it). It uses only the
 * evaluation's public API, so the same file runs against an older build for a paired comparison:
 *
 * <pre>
 * ./mvnw -o -q -pl evaluation -am test-compile
 * java --add-modules jdk.incubator.vector -cp "$(cat cli/target/classpath.txt)" \
 *     evaluation/src/test/java/dev/graft/evaluation/experiment/StageBenchmark.java [threads] [work-folder]
 * </pre>
 *
 * Stages: a pre-training step and a fine-tuning step (batch 32), exact-match scoring per 1000 prompts of the
 * published tasks (a weak and a fine-tuned model: scoring stops at the first wrong token, so its cost depends on
 * the accuracy), one grid point (a TIES merge of 4 fine-tunes through the public Merge API into a folder, read back,
 * scored on 200 validation prompts of each task) and one reconstruction point each of PHLoRA and Delta-CoMe (built,
 * read back, scored on 200 test prompts).
 */
public final class StageBenchmark {
    private static final int PROMPTS = 200;

    private StageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("graft-stages");
        LlamaShape shape = EvaluationConfig.SHAPE;
        List<TextTask> tasks = EvaluationConfig.TASKS;
        LlamaTrainer trainer = new LlamaTrainer(threads, line -> { });
        PretrainingText text = new PretrainingText(1, 0.1, 0.5, tasks);
        int preSteps = 150;
        LlamaWeights base = time("pre-training, per step", preSteps,
                () -> trainer.pretrain(shape, 1, text, new TrainingSchedule(preSteps, 32, 5e-3, 15)));
        int ftSteps = 80;
        List<LlamaWeights> fineTunes = new ArrayList<>();
        for (TextTask task : tasks) {
            fineTunes.add(time("fine-tuning " + task.id() + ", per step", ftSteps,
                    () -> trainer.fineTune(base, task, 1, new TrainingSchedule(ftSteps, 32, 5e-3, 8))));
        }
        TaskScorer scorer = new TaskScorer(shape, threads);
        List<List<TextExample>> validation = new ArrayList<>();
        for (TextTask task : tasks) {
            validation.add(TaskExamples.of(task, Split.VALIDATION, 1, PROMPTS));
        }
        for (int m = -1; m < tasks.size(); m++) {
            LlamaWeights model = m < 0 ? base : fineTunes.get(m);
            double[] acc = new double[tasks.size()];
            time("scoring " + (m < 0 ? "the base" : "fine-tune " + tasks.get(m).id())
                    + " on all tasks, per 1000 prompts", tasks.size() * PROMPTS / 1000.0, 5, () -> {
                        for (int k = 0; k < tasks.size(); k++) {
                            acc[k] = scorer.accuracy(model, tasks.get(k), validation.get(k));
                        }
                        return acc;
                    });
            System.out.printf("    its accuracies %s%n", Arrays.toString(acc));
        }
        LlamaMerger merger = new LlamaMerger(base, fineTunes, work.resolve("merges"), 1);
        MergeSpec ties = new MergeSpec("ties", "ties", Map.of("weight", 1.0, "density", 0.5), Map.of("lambda", 1.0));
        time("TIES merge of 4 to a folder and read back", 1, 10, () -> merger.merge(ties, 4));
        time("one grid point (that merge, read back, 4 x 200 validation prompts)", 1, 5, () -> {
            LlamaWeights merged = merger.merge(ties, 4);
            double s = 0;
            for (int k = 0; k < tasks.size(); k++) {
                s += scorer.accuracy(merged, tasks.get(k), validation.get(k));
            }
            return s;
        });
        List<TextExample> test = TaskExamples.of(tasks.get(0), Split.TEST, 1, PROMPTS);
        for (DeltaReconstruction r : List.of(PhloraReconstruction.rank(8), CompressedDelta.deltacome(1.0))) {
            time(r.name() + " point (build, read back, 200 test prompts)", 1, 3, () -> {
                DeltaReconstruction.Reconstruction out = r.apply(merger.base(), merger.fineTune(0),
                        Files.createDirectories(work.resolve("recon")));
                return scorer.accuracy(LlamaFolder.read(out.weights()), tasks.get(0), test);
            });
        }
    }

    /** Runs {@code stage} once and prints its CPU and wall seconds per {@code units}. */
    private static <T> T time(String what, double units, Callable<T> stage) throws Exception {
        return time(what, units, 1, stage);
    }

    /**
     * Runs {@code stage} {@code reps} times to warm up where {@code reps > 1} (the compiler's threads count as the
     * process's CPU time), then {@code reps} times, and prints the mean CPU and wall seconds per {@code units}.
     */
    private static <T> T time(String what, double units, int reps, Callable<T> stage) throws Exception {
        for (int r = 0; r < reps && reps > 1; r++) {
            stage.call();
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        T out = null;
        for (int r = 0; r < reps; r++) {
            out = stage.call();
        }
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9 / reps;
        double wall = (System.nanoTime() - wall0) / 1e9 / reps;
        System.out.printf("%-72s %8.4f cpu-s %8.4f wall-s (load %.1f)%n", what, cpu / units, wall / units,
                os.getSystemLoadAverage());
        return out;
    }
    /** A stage that may throw. */
    @FunctionalInterface
    private interface Callable<T> {
        T call() throws Exception;
    }
}
