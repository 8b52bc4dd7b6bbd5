package dev.graft.evaluation.experiment;

import dev.graft.evaluation.data.Task;
import dev.graft.evaluation.merge.TrunkMerger;
import dev.graft.evaluation.net.Trunk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * TIES's gain over task arithmetic as a function of the sign-conflict rate: tasks are built to share a fraction ρ
 * of one teacher (more shared, fewer conflicts), fine-tuned from the same base, and both methods are tuned on
 * validation and scored on test.
 */
public final class SignConflictAblation {
    private SignConflictAblation() {
    }

    /** One row per similarity for this seed. */
    public static List<AblationOutcome> run(Trunk base, EvaluationConfig config, long seed, Path workDir) {
        List<AblationOutcome> out = new ArrayList<>();
        int n = config.ablationTasks();
        for (double rho : config.ablationSimilarity()) {
            List<Task> tasks = TaskSuite.similar(config, seed, rho, n);
            FineTunedTasks suite = new FineTunedTasks(base, tasks, config, seed);
            TrunkMerger merger = new TrunkMerger(base, suite.fineTunes(), workDir, seed);
            var grid = MethodGrid.candidates(n);
            var ta = MergingExperiment.choose(suite, merger, grid.get("task_arithmetic"), n);
            var ties = MergingExperiment.choose(suite, merger, grid.get("ties"), n);
            out.add(new AblationOutcome(seed, rho, SignConflicts.rate(base, suite.fineTunes(), 0.2),
                    ta.outcome(seed, n, "task_arithmetic", suite).test(), ties.outcome(seed, n, "ties", suite).test()));
        }
        return out;
    }
}
