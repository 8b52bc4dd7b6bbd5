package dev.graft.evaluation.experiment;

import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.LlamaFolder;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.lmtrain.LlamaTrainer;
import dev.graft.evaluation.lmtrain.TrainingSchedule;
import dev.graft.evaluation.merge.LlamaMerger;
import dev.graft.evaluation.merge.MergeSpec;
import dev.graft.evaluation.text.PretrainingText;
import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.text.TextTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One candidate regime of the evaluation, run by hand to choose it (docs/llama-evaluation.md quotes it): the full
 * config's decoder pre-trained with the answered shares given, each task fine-tuned by the evaluation's own
 * {@link FineTunedTasks} (stopping at the validation accuracy given), then task arithmetic and TIES at a few λ on
 * the first 2, 4 and all tasks. Prints each task's pre-trained and fine-tuned validation and test exact match, the
 * steps each fine-tune took, and each merge's normalized test accuracy with its per-task exact match.
 *
 * <pre>
 * ./mvnw -o -q -pl evaluation -am test -Dtest=RegimeReach -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dgraft.regime.tasks=capital,last,length,smallest,successor,first,counting,depth \
 *     -Dgraft.regime.mixture=last,capital,successor,length,smallest,first,counting,depth \
 *     -Dgraft.regime.shares=0.1,0.04,0.12,0.015,0.02,0.1,0.08,0.02 -Dgraft.regime.pretraining=1200,5e-3 \
 *     -Dgraft.regime.finetuning=600,1e-3,0.97,20 -Dgraft.regime.tuned=all -Dgraft.regime.test=300 \
 *     -Dgraft.regime.cache=/tmp/regime-base
 * </pre>
 * Properties: {@code graft.regime.tasks} the merge order; {@code graft.regime.mixture} the pre-training mixture's
 * tasks (default the merge order) and {@code graft.regime.shares} their answered shares; {@code pretraining} steps
 * and rate; {@code finetuning} step cap, rate, stopping validation accuracy and how often it is checked;
 * {@code tuned} {@code all} or {@code blocks} ({@link TunedTensors}); {@code shape} hidden, intermediate, layers
 * (default 64,128,2); {@code arithmetic} and {@code ties} the λ tried, {@code density} TIES's; {@code validation},
 * {@code test} the prompts per task. The pre-trained model is kept in {@code graft.regime.cache} (a folder, default
 * none) so that several fine-tuning settings can follow one pre-training; seed {@code graft.regime.seed}
 * (default 1) is fine-tuned.
 */
@EnabledIfSystemProperty(named = "graft.regime.tasks", matches = "[a-z,]+")
class RegimeReach {
    @Test
    void printsWhatTheRegimeGives() throws Exception {
        List<TextTask> tasks = Arrays.stream(System.getProperty("graft.regime.tasks").split(","))
                .map(s -> TextTask.byId(s).orElseThrow()).toList();
        // the mixture's order (default the merge order) fixes the base; a cached base must have been made with it
        List<TextTask> mixture = Arrays.stream(System.getProperty("graft.regime.mixture",
                        System.getProperty("graft.regime.tasks")).split(","))
                .map(s -> TextTask.byId(s).orElseThrow()).toList();
        List<Double> shares = Arrays.stream(System.getProperty("graft.regime.shares").split(","))
                .map(Double::parseDouble).toList();
        String[] pre = System.getProperty("graft.regime.pretraining", "1200,5e-3").split(",");
        String[] ft = System.getProperty("graft.regime.finetuning", "400,1e-3,0.97,20").split(",");
        long seed = Long.getLong("graft.regime.seed", 1);
        EvaluationConfig full = EvaluationConfig.full(2);
        int steps = Integer.parseInt(pre[0]);
        int ftSteps = Integer.parseInt(ft[0]);
        int[] size = Arrays.stream(System.getProperty("graft.regime.shape", "64,128,2").split(","))
                .mapToInt(Integer::parseInt).toArray();
        LlamaShape shape = new LlamaShape(ByteVocabulary.SIZE, size[0], size[1], size[2], 4, 2, 64, 10000, 1e-5);
        EvaluationConfig c = new EvaluationConfig(List.of(seed), List.of(2, tasks.size()), tasks, full.methods(), shape, 1,
                full.promptShare(), mixture, shares, new TrainingSchedule(steps, 32, Double.parseDouble(pre[1]), steps / 10),
                new TrainingSchedule(ftSteps, 32, Double.parseDouble(ft[1]), ftSteps / 20), List.of(),
                TunedTensors.valueOf(System.getProperty("graft.regime.tuned", "blocks").toUpperCase(Locale.ROOT)),
                Double.parseDouble(ft[2]), Integer.parseInt(ft[3]), full.stopChecks(), full.splitSeed(),
                Integer.getInteger("graft.regime.validation", full.validationExamples()), full.screen(),
                Integer.getInteger("graft.regime.test", full.testExamples()), 0, List.of(), 0, 2);
        LlamaTrainer trainer = new LlamaTrainer(2, line -> { });
        long t0 = System.nanoTime();
        String cache = System.getProperty("graft.regime.cache");
        LlamaWeights base;
        if (cache != null && Files.exists(Path.of(cache))) {
            base = LlamaFolder.read(Path.of(cache));
        } else {
            base = trainer.pretrain(c.shape(), 1, new PretrainingText(1, c.promptShare(), shares, mixture),
                    c.pretraining());
            if (cache != null) {
                LlamaFolder.write(base, Path.of(cache), false);
            }
        }
        System.out.printf("pre-trained in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        long t1 = System.nanoTime();
        FineTunedTasks suite = new FineTunedTasks(base, c, trainer, seed);
        for (int k = 0; k < suite.size(); k++) {
            System.out.printf("%-9s pre-trained val %5.1f test %5.1f | fine-tuned val %5.1f test %5.1f | %d steps%n",
                    tasks.get(k).id(), 100 * suite.baseAccuracy(k, Split.VALIDATION),
                    100 * suite.baseAccuracy(k, Split.TEST), 100 * suite.fineTunedAccuracy(k, Split.VALIDATION),
                    100 * suite.fineTunedAccuracy(k, Split.TEST), suite.steps(k));
        }
        System.out.printf("fine-tuned in %.0f s%n", (System.nanoTime() - t1) / 1e9);
        // forgetting: each fine-tune's test exact match on the first four tasks (the base's on the diagonal's row)
        for (int k = 0; k < suite.size(); k++) {
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < Math.min(4, suite.size()); j++) {
                row.append(String.format(" %s %.0f (base %.0f)", tasks.get(j).id(),
                        100 * suite.accuracy(suite.fineTunes().get(k), j, Split.TEST),
                        100 * suite.baseAccuracy(j, Split.TEST)));
            }
            System.out.printf("fine-tune %-10s on%s%n", tasks.get(k).id(), row);
        }
        LlamaMerger merger = new LlamaMerger(base, suite.fineTunes(), Files.createTempDirectory("graft-regime"),
                seed);
        for (int n : new int[] {2, 4, tasks.size()}) {
            if (n > tasks.size()) {
                continue;
            }
            System.out.printf("%d tasks pre-trained normalized %5.1f%n", n,
                    100 * suite.baseNormalizedAccuracy(n, Split.TEST));
            List<MergeSpec> specs = new ArrayList<>();
            for (double lambda : doubles("graft.regime.arithmetic", "0.2,0.3,0.5,0.8,1.0")) {
                specs.add(new MergeSpec("task_arithmetic", "task_arithmetic", Map.of("weight", 1.0),
                        Map.of("lambda", lambda)));
            }
            for (double lambda : doubles("graft.regime.ties", "0.5,1.0,1.5")) {
                specs.add(new MergeSpec("ties", "ties", Map.of("weight", 1.0, "density",
                        Double.parseDouble(System.getProperty("graft.regime.density", "0.2"))),
                        Map.of("lambda", lambda)));
            }
            for (MergeSpec spec : specs) {
                LlamaWeights merged = merger.merge(spec, n);
                StringBuilder row = new StringBuilder();
                for (int k = 0; k < n; k++) {
                    row.append(String.format(" %s %.0f", tasks.get(k).id(),
                            100 * suite.accuracy(merged, k, Split.TEST)));
                }
                System.out.printf("%d tasks %-16s %-24s normalized %5.1f |%s%n", n, spec.family(), spec.describe(),
                        100 * suite.normalizedAccuracy(merged, n, Split.TEST), row);
            }
        }
        System.out.printf("total %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static double[] doubles(String property, String otherwise) {
        return Arrays.stream(System.getProperty(property, otherwise).split(",")).mapToDouble(Double::parseDouble)
                .toArray();
    }
}
