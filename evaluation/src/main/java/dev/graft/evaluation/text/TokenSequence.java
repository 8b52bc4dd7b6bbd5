package dev.graft.evaluation.text;

import dev.graft.evaluation.llama.ByteVocabulary;

/**
 * A training sequence: tokens starting with {@code BOS}, and which of them the loss predicts ({@code predicted[t]}:
 * the cross-entropy of token {@code t} given those before it counts).
 */
public record TokenSequence(int[] tokens, boolean[] predicted) {
    public TokenSequence {
        if (tokens.length != predicted.length || tokens.length < 2 || tokens[0] != ByteVocabulary.BOS
                || predicted[0]) {
            throw new IllegalArgumentException("a sequence starts with BOS, which is not predicted, and has a flag "
                    + "per token");
        }
    }

    /** {@code BOS prompt answer EOS}, predicting the answer and the {@code EOS}: what fine-tuning trains. */
    public static TokenSequence answer(TextExample e) {
        int[] prompt = ByteVocabulary.encodeWithBos(e.prompt());
        int[] answer = ByteVocabulary.encode(e.answer());
        int[] t = new int[prompt.length + answer.length + 1];
        boolean[] p = new boolean[t.length];
        System.arraycopy(prompt, 0, t, 0, prompt.length);
        System.arraycopy(answer, 0, t, prompt.length, answer.length);
        t[t.length - 1] = ByteVocabulary.EOS;
        for (int i = prompt.length; i < t.length; i++) {
            p[i] = true;
        }
        return new TokenSequence(t, p);
    }

    /**
     * {@code BOS text}, with {@code EOS} after it when {@code ends}, predicting every token after {@code BOS}: what
     * pre-training trains.
     */
    public static TokenSequence text(String text, boolean ends) {
        int[] body = ByteVocabulary.encodeWithBos(text);
        int[] t = ends ? java.util.Arrays.copyOf(body, body.length + 1) : body;
        if (ends) {
            t[t.length - 1] = ByteVocabulary.EOS;
        }
        boolean[] p = new boolean[t.length];
        java.util.Arrays.fill(p, 1, p.length, true);
        return new TokenSequence(t, p);
    }

    /** Tokens in the sequence. */
    public int length() {
        return tokens.length;
    }

    /** How many tokens the loss predicts. */
    public int predictedCount() {
        int n = 0;
        for (boolean b : predicted) {
            n += b ? 1 : 0;
        }
        return n;
    }
}
