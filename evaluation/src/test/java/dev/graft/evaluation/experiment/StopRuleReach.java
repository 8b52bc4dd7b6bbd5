package dev.graft.evaluation.experiment;

import dev.graft.evaluation.llama.LlamaFolder;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.lmtrain.LlamaTrainer;
import dev.graft.evaluation.lmtrain.TaskScorer;
import dev.graft.evaluation.text.PretrainingText;
import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.text.TaskExamples;
import dev.graft.evaluation.text.TextExample;
import dev.graft.evaluation.text.TextTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a fine-tune's validation and test exact match move between the stop rule's checks, run by hand to choose the
 * rule (docs/llama-evaluation.md, "The stop rule"): the full config's base (pre-trained once, kept in
 * {@code graft.stop.cache}), then one task fine-tuned per seed with the full config's schedule, never stopping before
 * {@code steps}, printing {@code step:validation/test} (%) at every check.
 *
 * <pre>
 * ./mvnw -o -q -pl evaluation -am test -Dtest=StopRuleReach -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dgraft.stop=counting,600,1,2,3,4,5,6,7,8 -Dgraft.stop.cache=/tmp/stop-base
 * </pre>
 */
@EnabledIfSystemProperty(named = "graft.stop", matches = "[a-z]+(,\\d+)+")
class StopRuleReach {
    @Test
    void printsTheTrajectories() {
        String[] a = System.getProperty("graft.stop").split(",");
        EvaluationConfig c = EvaluationConfig.full(2);
        LlamaTrainer trainer = new LlamaTrainer(2, line -> { });
        Path cache = Path.of(System.getProperty("graft.stop.cache", "target/stop-base"));
        LlamaWeights base;
        if (Files.exists(cache.resolve(LlamaFolder.WEIGHTS))) {
            base = LlamaFolder.read(cache);
        } else {
            base = trainer.pretrain(c.shape(), c.pretrainingSeed(), new PretrainingText(c.pretrainingSeed(),
                    c.promptShare(), c.answerShares(), c.mixtureTasks()), c.pretraining());
            LlamaFolder.write(base, cache, true);
        }
        TaskScorer scorer = new TaskScorer(base.shape(), 2);
        TextTask task = TextTask.byId(a[0]).orElseThrow();
        int steps = Integer.parseInt(a[1]);
        List<TextExample> validation = TaskExamples.of(task, Split.VALIDATION, c.splitSeed(), c.validationExamples());
        List<TextExample> test = TaskExamples.of(task, Split.TEST, c.splitSeed(), c.testExamples());
        for (int i = 2; i < a.length; i++) {
            long seed = Long.parseLong(a[i]);
            StringBuilder line = new StringBuilder(task.id() + " seed " + seed + ":");
            trainer.fineTune(base, task, seed, c.fineTuning(), c.tuned(), c.checkEvery(), (w, taken) -> {
                line.append(String.format(" %d:%.1f/%.1f", taken, 100 * scorer.accuracy(w, task, validation),
                        100 * scorer.accuracy(w, task, test)));
                return taken >= steps;
            });
            System.out.println(line);
        }
    }
}
