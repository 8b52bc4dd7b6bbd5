package dev.graft.evaluation.experiment;

import dev.graft.evaluation.data.InputRegion;
import dev.graft.evaluation.data.Seeds;
import dev.graft.evaluation.data.Task;
import dev.graft.evaluation.data.Teacher;

import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic world of one seed: the pre-training mixture (teachers of sharpness 1, 2 and 3 in turn, so that the
 * pre-trained features cover smooth and curved functions) and the downstream tasks, new teachers of the same
 * family. All inputs are standard normal.
 */
public record TaskSuite(List<Teacher> pretraining, InputRegion region, List<Task> tasks) {
    /** The suite of {@code seed} under {@code config}. */
    public static TaskSuite of(EvaluationConfig config, long seed) {
        int d = config.shape().inputs();
        List<Teacher> pre = new ArrayList<>();
        for (int i = 0; i < config.pretrainTeachers(); i++) {
            pre.add(Teacher.random(d, d, config.classes(), 1 + i % 3, Seeds.stream(seed, "pretrain-teacher", i)));
        }
        InputRegion region = InputRegion.everywhere(d, 1);
        List<Task> tasks = new ArrayList<>();
        for (int k = 0; k < config.tasks(); k++) {
            tasks.add(new Task("task" + k, k, Teacher.random(d, d, config.classes(), config.taskSharpness(),
                    Seeds.stream(seed, "task-teacher", k)), region));
        }
        return new TaskSuite(pre, region, tasks);
    }

    /**
     * {@code count} tasks that share a fraction {@code rho} of one common teacher (the sign-conflict ablation: the
     * more similar the tasks, the more their task vectors agree).
     */
    public static List<Task> similar(EvaluationConfig config, long seed, double rho, int count) {
        int d = config.shape().inputs();
        Teacher shared = Teacher.random(d, d, config.classes(), config.taskSharpness(),
                Seeds.stream(seed, "shared-teacher", 0));
        List<Task> tasks = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            String name = "similar" + Math.round(rho * 100) + "-" + k;
            tasks.add(new Task(name, k, Teacher.blend(shared, rho, config.taskSharpness(), Seeds.stream(seed, name, k)),
                    InputRegion.everywhere(d, 1)));
        }
        return tasks;
    }
}
