package dev.graft.evaluation.text;

import dev.graft.evaluation.data.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A task's examples in one {@link Split}, drawn from a stream of their own ({@link Seeds}: the task, the split and
 * the seed pick it), so the training stream, the validation set and the test set never share a draw nor a prompt.
 */
public final class TaskExamples {
    private final TextTask task;
    private final Split split;
    private final SplittableRandom rng;

    public TaskExamples(TextTask task, Split split, long seed) {
        this.task = task;
        this.split = split;
        this.rng = Seeds.stream(seed, "text:" + task.id() + ":" + split.name(), 0);
    }

    /** The next example of the split. */
    public TextExample next() {
        while (true) {
            TextExample e = task.example(rng);
            if (Split.of(e.prompt()) == split) {
                return e;
            }
        }
    }

    /** The next {@code n} examples. */
    public List<TextExample> next(int n) {
        List<TextExample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    /** The first {@code n} examples of {@code task}'s {@code split} under {@code seed}. */
    public static List<TextExample> of(TextTask task, Split split, long seed, int n) {
        return new TaskExamples(task, split, seed).next(n);
    }
}
