package dev.graft.evaluation.merge;

import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.lmtrain.LlamaTrainer;
import dev.graft.evaluation.lmtrain.TaskScorer;
import dev.graft.evaluation.lmtrain.TrainingSchedule;
import dev.graft.evaluation.text.PretrainingText;
import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.text.TaskExamples;
import dev.graft.evaluation.text.TextTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A first look at whether merges of the Llama decoder's fine-tunes keep anything, run by hand
 * (docs/llama-evaluation.md quotes it): pre-trains one decoder (300 steps), fine-tunes it on the tasks named
 * (1,000 steps each), writes them as Hugging Face folders and merges the first 2 and then all through
 * {@link LlamaMerger} (averaging, task arithmetic at several λ, TIES), printing each task's test exact match
 * (100 examples). Same settings as {@code FineTuneReach}: hidden 64, batches of 32, rate 5e-3, seed 1, 2 threads.
 *
 * <pre>
 * ./mvnw -o -pl evaluation test -Dtest=MergeReach -Dgraft.reach.merge=addition,depth,cipher,reversal
 * </pre>
 */
@EnabledIfSystemProperty(named = "graft.reach.merge", matches = "[a-z,]+")
class MergeReach {
    @Test
    void printsWhatMergesKeep() throws Exception {
        run(System.getProperty("graft.reach.merge"));
    }

    /** The same run from the command line, for a machine where Maven's target folder is busy. */
    public static void main(String[] args) throws Exception {
        run(args[0]);
    }

    private static void run(String taskList) throws Exception {
        List<TextTask> tasks = new ArrayList<>();
        for (String id : taskList.split(",")) {
            tasks.add(TextTask.byId(id).orElseThrow());
        }
        LlamaShape shape = new LlamaShape(ByteVocabulary.SIZE, 64, 128, 2, 4, 2, 64, 10000, 1e-5);
        LlamaTrainer trainer = new LlamaTrainer(2, line -> { });
        long t0 = System.nanoTime();
        LlamaWeights base = trainer.pretrain(shape, 1, new PretrainingText(1, 0.5, 0,
                List.of(TextTask.values()).subList(0, 8)), new TrainingSchedule(300, 32, 5e-3, 30));
        List<LlamaWeights> tuned = new ArrayList<>();
        for (TextTask t : tasks) {
            tuned.add(trainer.fineTune(base, t, 1, new TrainingSchedule(1000, 32, 5e-3, 100)));
        }
        System.out.printf("trained in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        TaskScorer scorer = new TaskScorer(shape, 2);
        Path dir = Files.createTempDirectory("graft-merge-reach");
        LlamaMerger merger = new LlamaMerger(base, tuned, dir, 1);
        print("pre-trained", base, tasks, scorer, tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            System.out.printf("fine-tuned on %-9s %s%n", tasks.get(i).id(), row(tuned.get(i), tasks, scorer,
                    tasks.size()));
        }
        for (int n : new int[] {2, tasks.size()}) {
            List<Integer> models = IntStream.range(0, n).boxed().toList();
            List<MergeSpec> specs = new ArrayList<>();
            specs.add(new MergeSpec("averaging", "linear", Map.of("weight", 1.0), Map.of()));
            for (double lambda : new double[] {0.3, 0.5, 0.7, 1.0}) {
                specs.add(new MergeSpec("task_arithmetic", "task_arithmetic", Map.of("weight", 1.0),
                        Map.of("lambda", lambda)));
            }
            specs.add(new MergeSpec("ties", "ties", Map.of("weight", 1.0, "density", 0.2), Map.of("lambda", 1.0)));
            for (MergeSpec spec : specs) {
                LlamaWeights merged = merger.merge(spec, models);
                print(n + " tasks, " + spec.family() + " " + spec.describe(), merged, tasks, scorer, n);
            }
        }
    }

    private static void print(String what, LlamaWeights w, List<TextTask> tasks, TaskScorer scorer, int n) {
        System.out.printf("%-44s %s%n", what, row(w, tasks, scorer, n));
    }

    private static String row(LlamaWeights w, List<TextTask> tasks, TaskScorer scorer, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            TextTask t = tasks.get(i);
            double acc = scorer.score(w, t, TaskExamples.of(t, Split.TEST, 1, 100)).accuracy();
            s.append(String.format("%s %5.1f%%  ", t.id(), 100 * acc));
        }
        return s.toString().strip();
    }
}
