package dev.graft.evaluation.lmtrain;

import java.util.List;

/**
 * How a model does on a task's examples: greedy exact match, the mean cross-entropy per answer token (the
 * answer's bytes and its {@code EOS}, in nats), and what it answered to each example, in order.
 */
public record TaskScore(String task, int examples, int correct, double lossPerToken, List<String> outputs) {
    public TaskScore {
        outputs = List.copyOf(outputs);
    }

    /** Exact-match accuracy, 0 to 1. */
    public double accuracy() {
        return examples == 0 ? 0 : (double) correct / examples;
    }
}
