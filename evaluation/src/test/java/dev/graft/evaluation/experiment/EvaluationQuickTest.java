package dev.graft.evaluation.experiment;

import dev.graft.evaluation.reconstruct.PhloraReconstruction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
        first = new Evaluation(EvaluationConfig.quick(2), PhloraReconstruction.quick(), line -> { })
                .run(dir.resolve("a"));
    }

    @Test
    void sameSeedGivesTheSameNumbersWhateverTheThreadCount() {
        EvaluationResults again = new Evaluation(EvaluationConfig.quick(1), PhloraReconstruction.quick(), line -> { })
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

    private static List<ReconstructionOutcome> rows(String name) {
        return first.reconstructions().stream().filter(o -> o.name().equals(name)).toList();
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
