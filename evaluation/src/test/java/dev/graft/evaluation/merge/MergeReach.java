package dev.graft.evaluation.merge;

import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.LlamaFolder;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Whether merges of the decoder's fine-tunes keep part of each, for one set-up, run by hand to choose the
 * evaluation's regime (docs/llama-evaluation.md quotes it): pre-trains a decoder on a mixture with the tasks'
 * answers at some share, fine-tunes it on each task, prints each task's pre-trained and fine-tuned test exact
 * match (100 examples, seed 1) with the task vector's size, then merges the first 2, 4 and all fine-tunes through
 * {@link LlamaMerger} (averaging, task arithmetic at four λ, TIES at three) and prints each merge's normalized
 * accuracy and per-task exact match.
 *
 * <pre>
 * ./mvnw -o -pl evaluation test -Dtest=MergeReach -Dgraft.reach.regime=64,128,2,1200,5e-3,0.1,0.5,300,3e-3 \
 *     -Dgraft.reach.tasks=depth,counting,sorting,last,copy,length,maximum
 * </pre>
 * {@code graft.reach.regime} is hidden, intermediate, layers, pre-training steps and rate, the prompt and answer
 * shares of the mixture, fine-tuning steps and rate; batches of 32, warm-up a tenth of the steps, 4 heads on 2
 * key/value heads, 2 threads. The pre-trained model is kept in {@code graft.reach.cache} (a folder, default none)
 * so that several fine-tuning settings can follow one pre-training.
 */
@EnabledIfSystemProperty(named = "graft.reach.regime", matches = "[0-9.e,-]+")
class MergeReach {
    @Test
    void printsWhatMergesKeep() throws Exception {
        run(System.getProperty("graft.reach.regime").split(","), System.getProperty("graft.reach.tasks"),
                System.getProperty("graft.reach.cache"));
    }

    /** The same run from the command line: the regime's nine values, the tasks, optionally the cache folder. */
    public static void main(String[] args) throws Exception {
        run(Arrays.copyOfRange(args, 0, 9), args[9], args.length > 10 ? args[10] : null);
    }

    private static void run(String[] a, String taskList, String cache) throws Exception {
        List<TextTask> tasks = Arrays.stream(taskList.split(",")).map(s -> TextTask.byId(s).orElseThrow()).toList();
        LlamaShape shape = new LlamaShape(ByteVocabulary.SIZE, Integer.parseInt(a[0]), Integer.parseInt(a[1]),
                Integer.parseInt(a[2]), 4, 2, 64, 10000, 1e-5);
        int pretrainSteps = Integer.parseInt(a[3]);
        int fineTuneSteps = Integer.parseInt(a[7]);
        LlamaTrainer trainer = new LlamaTrainer(2, line -> { });
        long t0 = System.nanoTime();
        Path cached = cache == null ? null : Path.of(cache);
        LlamaWeights base;
        if (cached != null && Files.exists(cached)) {
            base = LlamaFolder.read(cached);
        } else {
            base = trainer.pretrain(shape, 1, new PretrainingText(1, Double.parseDouble(a[5]),
                    Double.parseDouble(a[6]), tasks), new TrainingSchedule(pretrainSteps, 32,
                    Double.parseDouble(a[4]), pretrainSteps / 10));
            if (cached != null) {
                LlamaFolder.write(base, cached, false);
            }
        }
        System.out.printf("%,d parameters, pre-trained in %.0f s%n", shape.parameterCount(),
                (System.nanoTime() - t0) / 1e9);
        TaskScorer scorer = new TaskScorer(shape, 2);
        double[] tunedAccuracy = new double[tasks.size()];
        List<LlamaWeights> tuned = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            TextTask t = tasks.get(i);
            long t1 = System.nanoTime();
            LlamaWeights ft = trainer.fineTune(base, t, 1, new TrainingSchedule(fineTuneSteps, 32,
                    Double.parseDouble(a[8]), fineTuneSteps / 10));
            tuned.add(ft);
            tunedAccuracy[i] = accuracy(scorer, ft, t);
            System.out.printf("%-9s pre-trained %5.1f%%  fine-tuned %5.1f%%  |τ|/|θ_base| %.4f  (%.0f s)%n", t.id(),
                    100 * accuracy(scorer, base, t), 100 * tunedAccuracy[i], relativeNorm(ft, base),
                    (System.nanoTime() - t1) / 1e9);
        }
        LlamaMerger merger = new LlamaMerger(base, tuned, Files.createTempDirectory("graft-merge-reach"), 1);
        for (int n : new int[] {2, 4, tasks.size()}) {
            if (n > tasks.size()) {
                continue;
            }
            List<MergeSpec> specs = new ArrayList<>();
            specs.add(new MergeSpec("averaging", "linear", Map.of("weight", 1.0), Map.of()));
            for (double lambda : new double[] {0.3, 0.5, 0.8, 1.0}) {
                specs.add(new MergeSpec("task_arithmetic", "task_arithmetic", Map.of("weight", 1.0),
                        Map.of("lambda", lambda)));
            }
            for (double lambda : new double[] {0.5, 1.0, 1.5}) {
                specs.add(new MergeSpec("ties", "ties", Map.of("weight", 1.0, "density", 0.2),
                        Map.of("lambda", lambda)));
            }
            specs.addFirst(null); // the pre-trained model itself
            for (MergeSpec spec : specs) {
                LlamaWeights merged = spec == null ? base : merger.merge(spec, IntStream.range(0, n).boxed().toList());
                StringBuilder row = new StringBuilder();
                double normalized = 0;
                for (int i = 0; i < n; i++) {
                    double acc = accuracy(scorer, merged, tasks.get(i));
                    normalized += acc / tunedAccuracy[i];
                    row.append(String.format(" %s %.0f", tasks.get(i).id(), 100 * acc));
                }
                System.out.printf("%d tasks %-16s %-24s normalized %5.1f%% |%s%n", n,
                        spec == null ? "pre-trained" : spec.family(), spec == null ? "" : spec.describe(),
                        100 * normalized / n, row);
            }
        }
        System.out.printf("total %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static double accuracy(TaskScorer scorer, LlamaWeights w, TextTask t) {
        return scorer.accuracy(w, t, TaskExamples.of(t, Split.TEST, 1, 100));
    }

    /** ‖θ_ft − θ_base‖ / ‖θ_base‖ over all weights. */
    private static double relativeNorm(LlamaWeights ft, LlamaWeights base) {
        double d = 0;
        double b = 0;
        for (int k = 0; k < ft.params().count(); k++) {
            float[] x = ft.params().tensor(k);
            float[] y = base.params().tensor(k);
            for (int j = 0; j < x.length; j++) {
                d += (double) (x[j] - y[j]) * (x[j] - y[j]);
                b += (double) y[j] * y[j];
            }
        }
        return Math.sqrt(d / b);
    }
}
