package dev.graft.evaluation.lmtrain;

/**
 * How a model does on a task's examples: greedy exact match, and the mean cross-entropy per answer token (the
 * answer's bytes and its {@code EOS}, in nats).
 */
public record TaskScore(String task, int examples, int correct, double lossPerToken) {
    /** Exact-match accuracy, 0 to 1. */
    public double accuracy() {
        return examples == 0 ? 0 : (double) correct / examples;
    }
}
