package dev.graft.evaluation.text;

/**
 * One example of a text task: the model reads {@code prompt} and must continue with exactly {@code answer}, then
 * end of sequence.
 */
public record TextExample(String prompt, String answer) {
    public TextExample {
        if (prompt.isEmpty() || answer.isEmpty()) {
            throw new IllegalArgumentException("a text example needs a prompt and an answer: '" + prompt + "' → '"
                    + answer + "'");
        }
    }
}
