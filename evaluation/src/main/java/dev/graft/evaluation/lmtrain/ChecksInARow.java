package dev.graft.evaluation.lmtrain;

import dev.graft.evaluation.llama.LlamaWeights;

import java.util.function.ToDoubleFunction;

/**
 * Stops a fine-tune once its validation accuracy has reached a threshold on {@code checks} checks in a row. While
 * the learning rate is still high the accuracy swings by several points from one check to the next; a single check
 * stops on whichever swing first touches the threshold, and the test accuracy of that model lands below it (the
 * winner's curse of choosing a stop on the split that measures it). Asking for the threshold twice in a row stops
 * on a model that holds it.
 */
public final class ChecksInARow implements LlamaTrainer.StopRule {
    private final ToDoubleFunction<LlamaWeights> accuracy;
    private final double threshold;
    private final int checks;
    private int inARow;

    /**
     * @param accuracy  the validation accuracy of a model
     * @param threshold the accuracy to reach (inclusive)
     * @param checks    how many consecutive checks must reach it (1 or more)
     */
    public ChecksInARow(ToDoubleFunction<LlamaWeights> accuracy, double threshold, int checks) {
        if (checks <= 0) {
            throw new IllegalArgumentException("a fine-tune stops after 1 or more checks in a row, not " + checks);
        }
        this.accuracy = accuracy;
        this.threshold = threshold;
        this.checks = checks;
    }

    @Override
    public boolean reached(LlamaWeights weights, int steps) {
        inARow = accuracy.applyAsDouble(weights) >= threshold ? inARow + 1 : 0;
        return inARow >= checks;
    }
}
