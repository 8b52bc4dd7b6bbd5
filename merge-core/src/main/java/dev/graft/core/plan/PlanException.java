package dev.graft.core.plan;

import java.util.List;

/** Everything wrong with a merge request, found before any math, reported together. */
public final class PlanException extends RuntimeException {
    private final List<String> problems;

    public PlanException(List<String> problems) {
        super(problems.size() == 1 ? problems.getFirst()
                : problems.size() + " problems:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem on one line, naming the model, tensor or parameter involved. */
    public List<String> problems() {
        return problems;
    }
}
