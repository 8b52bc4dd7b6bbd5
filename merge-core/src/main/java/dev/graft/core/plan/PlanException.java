package dev.graft.core.plan;

import java.util.List;

/** Everything wrong with a merge request, found before any math, reported together. */
public final class PlanException extends RuntimeException {
    private final List<String> problems;
    private final int count;

    /** One line per problem. */
    public PlanException(List<String> problems) {
        this(problems, problems.size());
    }

    /**
     * Problems of which only some are listed.
     *
     * @param problems the lines to show: problems, a line explaining a group of them, a count of those left out
     * @param count    how many problems there are in all
     */
    public PlanException(List<String> problems, int count) {
        super(count == 1 && problems.size() == 1 ? problems.getFirst()
                : count + (count == 1 ? " problem" : " problems") + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
        this.count = count;
    }

    /**
     * Each problem on one line, naming the model, tensor or parameter involved (parameters spelled as the request
     * was written: {@code --weight} or {@code models[0].parameters.weight}). Tensor problems come last, the first
     * few of them and then one {@code … and N more tensors} line, after a line naming the architectures when
     * those differ.
     */
    public List<String> problems() {
        return problems;
    }

    /** How many problems there are, those only counted in {@link #problems()} included. */
    public int count() {
        return count;
    }
}
