package dev.graft.evaluation.experiment;

import dev.graft.evaluation.reconstruct.CompressedDelta;
import dev.graft.evaluation.reconstruct.DeltaReconstruction;
import dev.graft.evaluation.reconstruct.PhloraReconstruction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The reduced evaluation (one seed, 2 and 3 tasks, short training): it runs end to end through Graft's merge code,
 * is exactly reproducible, and shows the orderings that held in every run of the full evaluation.
 */
class EvaluationQuickTest {
    @TempDir
    static Path dir;

    static EvaluationResults first;

    @BeforeAll
    static void run() {
        first = new Evaluation(EvaluationConfig.quick(2), standIns(), line -> { }).run(dir.resolve("a"));
    }

    @Test
    void sameSeedGivesTheSameNumbersWhateverTheThreadCount() {
        EvaluationResults again = new Evaluation(EvaluationConfig.quick(1), standIns(), line -> { })
                .run(dir.resolve("b"));
        assertThat(again.merges()).isEqualTo(first.merges());
        assertThat(again.negations()).isEqualTo(first.negations());
        assertThat(again.interference()).isEqualTo(first.interference());
        assertThat(again.reconstructions()).isEqualTo(first.reconstructions());
    }

    @Test
    void everyMethodAndLinesVariantIsReportedForEveryTaskCount() {
        assertThat(first.methods()).containsExactly("pretrained", "fine-tuned", "averaging", "averaging+lines",
                "task_arithmetic", "task_arithmetic+lines", "ties", "ties+lines", "dare_ties", "dare_ties+lines",
                "breadcrumbs", "breadcrumbs+lines", "della", "della+lines", "model_stock");
        for (String m : first.methods()) {
            assertThat(first.testScores(m, 2)).as(m).hasSize(1);
            assertThat(first.testScores(m, 3)).as(m).hasSize(1);
        }
    }

    @Test
    void fineTuningHelpsAndMergesKeepPartOfIt() {
        for (int n : List.of(2, 3)) {
            double pretrained = first.testScores("pretrained", n)[0];
            assertThat(pretrained).as("the fine-tunes beat the base on their tasks").isLessThan(0.99);
            for (String m : List.of("averaging", "task_arithmetic", "ties")) {
                double score = first.testScores(m, n)[0];
                assertThat(score).as("%s with %d tasks beats the pre-trained trunk", m, n).isGreaterThan(pretrained);
                assertThat(score).as("%s with %d tasks stays below its fine-tunes", m, n).isLessThan(1.0);
            }
        }
    }

    @Test
    void fullRankAdaptersKeepTheFineTuneAndRankOneLosesSomeOfIt() {
        // the quick trunk's matrices are 64×32 and 32×64: rank 32 is their full rank (factors rounded to bf16)
        List<ReconstructionOutcome> full = rows("phlora rank 32");
        List<ReconstructionOutcome> one = rows("phlora rank 1");
        assertThat(full).hasSize(3).allSatisfy(o -> assertThat(o.normalized()).isGreaterThan(0.99));
        assertThat(mean(one)).isLessThan(mean(full));
        assertThat(one.getFirst().bitsPerParameter()).isLessThan(full.getFirst().bitsPerParameter());
    }

    @Test
    void compressedDeltasCostWhatTheirFormatsStore() {
        // the quick trunk: 9 matrices (16·32 + 8 · 32·64 = 16,896 entries) and 416 bias entries, 17,312 in all.
        // BitDelta stores a sign bit per matrix entry and a float32 scale per matrix; the biases stay float32.
        double bitdelta = (16_896 + 9 * 32 + 416 * 32) / 17_312.0;
        assertThat(rows("bitdelta")).hasSize(3)
                .allSatisfy(o -> assertThat(o.bitsPerParameter()).isCloseTo(bitdelta, within(1e-9)));
        for (String name : List.of("bitdelta", "delta-come 1.0 bits", "compeft density 0.1", "low rank 1.0 bits")) {
            assertThat(mean(rows(name))).as(name).isBetween(0.9, 1.01);
        }
    }

    private static List<ReconstructionOutcome> rows(String name) {
        return first.reconstructions().stream().filter(o -> o.name().equals(name)).toList();
    }

    private static List<DeltaReconstruction> standIns() {
        List<DeltaReconstruction> all = new ArrayList<>(PhloraReconstruction.quick());
        all.addAll(CompressedDelta.quick());
        return all;
    }

    private static double mean(List<ReconstructionOutcome> rows) {
        return rows.stream().mapToDouble(ReconstructionOutcome::normalized).average().orElseThrow();
    }

    @Test
    void negationLowersTheTargetAndKeepsTheControls() {
        NegationOutcome neg = first.negations().getFirst();
        assertThat(neg.targetNegated()).isLessThan(neg.targetPretrained());
        assertThat(neg.controlRetained()).isGreaterThan(0.9);
    }
}
