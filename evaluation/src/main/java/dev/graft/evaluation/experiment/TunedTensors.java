package dev.graft.evaluation.experiment;

import java.util.function.Predicate;

/** Which of the decoder's tensors a fine-tune updates; the others keep the pre-trained values. */
public enum TunedTensors implements Predicate<String> {
    /** Every tensor. */
    ALL("all weights"),
    /**
     * The transformer blocks ({@code model.layers.*}): the token embedding, the final norm and {@code lm_head} stay
     * the base's. A fine-tune that trains {@code lm_head} lowers the logits of every byte its task never answers,
     * and so every other task's answers; summed over tasks, those shifts erase what the base could do.
     */
    BLOCKS("the transformer blocks; embedding, final norm and lm_head frozen");

    private final String description;

    TunedTensors(String description) {
        this.description = description;
    }

    @Override
    public boolean test(String tensor) {
        return this == ALL || tensor.startsWith("model.layers.");
    }

    /** What is fine-tuned, in words for the report. */
    public String description() {
        return description;
    }
}
