package dev.graft.evaluation.experiment;

import dev.graft.evaluation.lmtrain.TrainingSchedule;
import dev.graft.evaluation.report.MarkdownReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fine-tunes of a fixed length per task, and seeds that only fine-tune and merge the tasks of one count, on a decoder
 * small enough to train in seconds.
 */
class MergeOnlySeedsTest {
    @TempDir
    static Path dir;

    static EvaluationResults run;

    /** Seed 1 at 2 and 3 tasks, seed 2 at 2 tasks only; 30, 40 and 50 steps for the three tasks, no early stop. */
    static EvaluationConfig config(List<Long> seeds, List<Integer> counts, List<Long> mergeOnly, int mergeOnlyTasks) {
        EvaluationConfig q = EvaluationConfig.quick(2);
        return new EvaluationConfig(seeds, counts, q.tasks(), List.of("task_arithmetic"), q.shape(), 1, 0.1,
                q.mixtureTasks(), q.answerShares(), new TrainingSchedule(60, 16, 5e-3, 6),
                new TrainingSchedule(300, 16, 2e-3, 5), List.of(30, 40, 50), q.tuned(), 2, 20, 1, 1000, 12,
                new ValidationScreen(6, 2), 10, 1, mergeOnly, mergeOnlyTasks, 2);
    }

    @BeforeAll
    static void runIt() {
        run = new Evaluation(config(List.of(1L), List.of(2, 3), List.of(2L), 2), List.of(), line -> { })
                .run(dir.resolve("a"));
    }

    @Test
    void everyFineTuneRunsItsTasksLengthAndAMergeOnlySeedOnlyItsTasks() {
        assertThat(run.fineTunes()).extracting(f -> f.seed() + " " + f.task() + " " + f.steps())
                .containsExactly("1 last 30", "1 successor 40", "1 length 50", "2 last 30", "2 successor 40");
    }

    @Test
    void theMergeOnlySeedAddsRowsAtItsCountAlone() {
        assertThat(run.testScores("task_arithmetic", 2)).hasSize(2);
        assertThat(run.testScores("task_arithmetic", 3)).hasSize(1);
        assertThat(run.merges()).filteredOn(m -> m.seed() == 2).extracting(MergeOutcome::tasks).containsOnly(2);
        assertThat(run.negations()).extracting(NegationOutcome::seed).containsOnly(1L);
        assertThat(run.interference()).hasSize(1);
    }

    @Test
    void aMergeOnlySeedsRowsAreThoseOfAWholeSeedAtThatCount() {
        // the first run has its two seeds side by side on one thread each; this one runs seed 2 alone on two threads
        EvaluationResults whole = new Evaluation(config(List.of(2L), List.of(2), List.of(), 0), List.of(),
                line -> { }).run(dir.resolve("b"));
        assertThat(run.merges()).filteredOn(m -> m.seed() == 2).containsExactlyElementsOf(whole.merges());
    }

    @Test
    void theReportSaysWhichSeedsRunWhereAndHowLongEachFineTuneIs() {
        String doc = MarkdownReport.render(run, "x", "");
        assertThat(doc).contains("cosine over each task's own length: `last` 30, `successor` 40, `length` 50), "
                        + "the loss on the answer, for every step of it.")
                .contains("Seeds: [1] (fine-tuning data and order, and the random methods' draws); seeds [2] also "
                        + "fine-tune the first 2 tasks and merge them at 2 tasks only, so that column has 2 seeds.")
                .contains("mean ± 95 % CI over seeds (2 for the first 2 tasks, 1 for the others), and the Adam steps");
    }

    @Test
    void badSeedPlansAndLengthsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> config(List.of(1L), List.of(2, 3), List.of(1L, 2L), 2))
                .hasMessage("the merge-only seeds [1, 2] repeat some of [1]");
        assertThatThrownBy(() -> config(List.of(1L), List.of(3), List.of(2L), 2))
                .hasMessage("merge-only seeds merge one of the task counts [3], not 2");
        EvaluationConfig q = EvaluationConfig.quick(1);
        assertThatThrownBy(() -> new EvaluationConfig(q.seeds(), q.taskCounts(), q.tasks(), q.methods(), q.shape(), 1,
                0.1, q.mixtureTasks(), q.answerShares(), q.pretraining(), q.fineTuning(), List.of(30, 40), q.tuned(),
                2, 20, 1, 1000, 12, q.screen(), 10, 1, List.of(), 0, 1))
                .hasMessage("2 fine-tuning lengths for 3 tasks");
        assertThatThrownBy(() -> new EvaluationConfig(q.seeds(), q.taskCounts(), q.tasks(), q.methods(), q.shape(), 1,
                0.1, q.mixtureTasks(), q.answerShares(), q.pretraining(), q.fineTuning(), List.of(30, 15, 40),
                q.tuned(), 2, 20, 1, 1000, 12, q.screen(), 10, 1, List.of(), 0, 1))
                .hasMessage("every fine-tune must run past its 15 warm-up steps: [30, 15, 40]");
    }

    @Test
    void withSeedsRunsEverySeedAtEveryCount() {
        EvaluationConfig c = EvaluationConfig.full(1).withSeeds(3);
        assertThat(c.seeds()).containsExactly(1L, 2L, 3L);
        assertThat(c.mergeOnlySeeds()).isEmpty();
        assertThat(c.seedsAt(4)).containsExactly(1L, 2L, 3L);
        assertThat(EvaluationConfig.full(1).seedsAt(4)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(EvaluationConfig.full(1).seedsAt(8)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(EvaluationConfig.full(1).fineTuning(6).steps()).isEqualTo(400);
    }
}
