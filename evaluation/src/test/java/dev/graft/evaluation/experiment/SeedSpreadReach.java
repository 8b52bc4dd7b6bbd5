package dev.graft.evaluation.experiment;

import dev.graft.evaluation.llama.LlamaFolder;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.lmtrain.LlamaTrainer;
import dev.graft.evaluation.merge.LlamaMerger;
import dev.graft.evaluation.report.Interval;
import dev.graft.evaluation.text.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The full config's merging at the task counts given, for more seeds than the published run, on a base pre-trained
 * by {@link StopRuleReach} (its cache folder): run by hand to see how the spread over seeds narrows and what a seed
 * costs (docs/llama-evaluation.md, "The spread over seeds"). Prints each fine-tune's steps and test exact match,
 * every merge row ({@code ROW seed tasks method test chosen}), the process CPU seconds of each seed's fine-tunes
 * and merges, and at the end each method's mean ± 95 % interval over the seeds run ({@code INTERVAL tasks method}).
 *
 * <pre>
 * ./mvnw -o -q -pl evaluation -am test -Dtest=SeedSpreadReach -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dgraft.spread=4:1,2,3,4,5,6,7,8 -Dgraft.stop.cache=/tmp/stop-base
 * </pre>
 */
@EnabledIfSystemProperty(named = "graft.spread", matches = "[\\d,]+:[\\d,]+")
class SeedSpreadReach {
    @Test
    void printsTheRowsOfMoreSeeds(@TempDir Path work) {
        String[] a = System.getProperty("graft.spread").split(":");
        List<Integer> counts = Arrays.stream(a[0].split(",")).map(Integer::valueOf).toList();
        EvaluationConfig f = EvaluationConfig.full(2);
        EvaluationConfig c = new EvaluationConfig(f.seeds(), counts, f.tasks(), f.methods(), f.shape(),
                f.pretrainingSeed(), f.promptShare(), f.mixtureTasks(), f.answerShares(), f.pretraining(),
                f.fineTuning(), f.fineTuneSteps(), f.tuned(), f.stopAccuracy(), f.checkEvery(), f.stopChecks(),
                f.splitSeed(), f.validationExamples(), f.screen(), f.testExamples(), f.negationTargets(), List.of(), 0,
                2);
        LlamaWeights base = LlamaFolder.read(Path.of(System.getProperty("graft.stop.cache", "target/stop-base")));
        LlamaTrainer trainer = new LlamaTrainer(2, line -> { });
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<MergeOutcome> all = new ArrayList<>();
        for (String s : a[1].split(",")) {
            long seed = Long.parseLong(s);
            long t0 = os.getProcessCpuTime();
            FineTunedTasks suite = new FineTunedTasks(base, c, trainer, seed);
            long t1 = os.getProcessCpuTime();
            LlamaMerger merger = new LlamaMerger(base, suite.fineTunes(), work.resolve("seed" + seed), seed);
            List<MergeOutcome> rows = MergingExperiment.run(suite, merger, counts, c.methods(), c.screen(), seed);
            long t2 = os.getProcessCpuTime();
            for (int k = 0; k < suite.size(); k++) {
                System.out.printf("FT seed %d %s steps %d test %.4f%n", seed, suite.tasks().get(k).id(),
                        suite.steps(k), suite.fineTunedAccuracy(k, Split.TEST));
            }
            all.addAll(rows);
            for (MergeOutcome m : rows) {
                System.out.printf("ROW %d %d %s %.6f %s%n", m.seed(), m.tasks(), m.method(), m.test(), m.chosen());
            }
            System.out.printf("CPU seed %d fine-tune %.1f s, merge %.1f s%n", seed, (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9);
        }
        for (int n : counts) {
            for (String m : all.stream().map(MergeOutcome::method).distinct().toList()) {
                double[] v = all.stream().filter(o -> o.tasks() == n && o.method().equals(m))
                        .mapToDouble(MergeOutcome::test).toArray();
                System.out.printf("INTERVAL %d %s %s%n", n, m, Interval.of(v).percent());
            }
        }
    }
}
