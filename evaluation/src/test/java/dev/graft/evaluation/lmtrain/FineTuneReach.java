package dev.graft.evaluation.lmtrain;

import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.text.PretrainingText;
import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.text.TaskExamples;
import dev.graft.evaluation.text.TextExample;
import dev.graft.evaluation.text.TextTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How far pre-training and fine-tuning get at a size and a number of steps, run by hand to size the evaluation
 * (docs/llama-evaluation.md quotes it): pre-trains one decoder, then fine-tunes it on each task named and prints
 * the pre-trained and the fine-tuned exact match and loss on 100 test examples, with the seconds each phase took.
 *
 * <pre>
 * ./mvnw -o -pl evaluation test -Dtest=FineTuneReach -Dgraft.reach=64,128,2,300,1000 -Dgraft.reach.tasks=addition,lookup
 * </pre>
 * {@code graft.reach} is hidden, intermediate, layers, pre-training steps, fine-tuning steps; batches of 32, rate
 * 5e-3 (warm-up a tenth of the steps), prompt share 0.5, 4 heads on 2 key/value heads, seed 1, 2 threads.
 */
@EnabledIfSystemProperty(named = "graft.reach", matches = "\\d+,\\d+,\\d+,\\d+,\\d+")
class FineTuneReach {
    @Test
    void printsHowFarTrainingGets() {
        String[] a = System.getProperty("graft.reach").split(",");
        int pretrainSteps = Integer.parseInt(a[3]);
        int fineTuneSteps = Integer.parseInt(a[4]);
        LlamaShape shape = new LlamaShape(ByteVocabulary.SIZE, Integer.parseInt(a[0]), Integer.parseInt(a[1]),
                Integer.parseInt(a[2]), 4, 2, 64, 10000, 1e-5);
        LlamaTrainer trainer = new LlamaTrainer(2, line -> { });
        long t0 = System.nanoTime();
        LlamaWeights base = trainer.pretrain(shape, 1, new PretrainingText(1, 0.5, 0,
                List.of(TextTask.values()).subList(0, 8)), new TrainingSchedule(pretrainSteps, 32, 5e-3,
                pretrainSteps / 10));
        System.out.printf("%,d parameters; pre-training %d steps: %.0f s%n", shape.parameterCount(), pretrainSteps,
                (System.nanoTime() - t0) / 1e9);
        TaskScorer scorer = new TaskScorer(shape, 2);
        for (String id : System.getProperty("graft.reach.tasks", String.join(",", TextTask.ids())).split(",")) {
            TextTask task = TextTask.byId(id).orElseThrow();
            List<TextExample> test = TaskExamples.of(task, Split.TEST, 1, 100);
            TaskScore before = scorer.score(base, task, test);
            long t1 = System.nanoTime();
            LlamaWeights tuned = trainer.fineTune(base, task, 1, new TrainingSchedule(fineTuneSteps, 32, 5e-3,
                    fineTuneSteps / 10));
            double seconds = (System.nanoTime() - t1) / 1e9;
            TaskScore after = scorer.score(tuned, task, test);
            System.out.printf("%-9s pre-trained %5.1f%% (%.2f nats), fine-tuned %5.1f%% (%.3f nats) after %d steps: "
                    + "%.0f s%n", id, 100 * before.accuracy(), before.lossPerToken(), 100 * after.accuracy(),
                    after.lossPerToken(), fineTuneSteps, seconds);
            assertThat(after.lossPerToken()).isLessThan(before.lossPerToken());
        }
    }
}
