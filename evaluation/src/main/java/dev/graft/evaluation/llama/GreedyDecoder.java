package dev.graft.evaluation.llama;

import java.util.Arrays;

/**
 * Greedy decoding (the arg-max token at each step, the lowest id on a tie) with the pass's key/value cache: the
 * prompt is run once (only past the prefix the pass still holds from the previous prompt, {@link LlamaPass#extend}),
 * then one position per generated token. {@link #gives} decides whether decoding would give a known answer
 * without decoding it.
 */
public final class GreedyDecoder {
    private final LlamaPass pass;
    private final WideWeights weights;

    /** @param weights the widened weights ({@link LlamaWeights#widened()}) the pass runs with */
    public GreedyDecoder(LlamaPass pass, WideWeights weights) {
        this.pass = pass;
        this.weights = weights;
    }

    /**
     * The tokens that follow {@code prompt}, up to and without {@code stop}, at most {@code maxTokens} of them and
     * no more than the pass's capacity leaves room for.
     *
     * @throws IllegalArgumentException when the prompt alone fills the capacity
     */
    public int[] continuation(int[] prompt, int maxTokens, int stop) {
        int cap = pass.capacity();
        if (prompt.length >= cap) {
            throw new IllegalArgumentException("a prompt of " + prompt.length + " tokens leaves no room in "
                    + cap + " positions");
        }
        int[] seq = Arrays.copyOf(prompt, cap);
        pass.extend(weights, seq, prompt.length);
        int n = prompt.length;
        int limit = Math.min(cap, prompt.length + maxTokens);
        while (n < limit) {
            int best = argmax(pass.logits(weights, n - 1));
            if (best == stop) {
                break;
            }
            seq[n] = best;
            n++;
            if (n < limit) {
                pass.run(weights, seq, n - 1, n);
            }
        }
        return Arrays.copyOfRange(seq, prompt.length, n);
    }

    /**
     * Whether {@link #continuation continuation(prompt, expected.length + 1, stop)} is exactly {@code expected}
     * (that is, {@code expected}, which cannot hold {@code stop}, and then {@code stop}), decided teacher-forced:
     * the pass runs the prompt and checks that its arg-max is the first expected token, then runs all of
     * {@code expected} at once and compares each position's arg-max with the next expected token (the last with
     * {@code stop}), stopping at the first that differs. As long as decoding has produced {@code expected}'s first
     * tokens, it has run exactly these positions on exactly these tokens, and the pass gives the same bits for
     * positions run one at a time or together, so the arg-max tokens agree; at the first disagreement decoding has
     * gone wrong for good. What decoding costs in single-position steps this does in one run of several positions,
     * and an answer whose first token is wrong costs the prompt alone.
     *
     * @throws IllegalArgumentException when prompt and answer leave no room for {@code stop} in the capacity
     */
    public boolean gives(int[] prompt, int[] expected, int stop) {
        int cap = pass.capacity();
        int end = prompt.length + expected.length;
        if (end >= cap) {
            throw new IllegalArgumentException("a prompt of " + prompt.length + " and an answer of "
                    + expected.length + " tokens leave no room for the stop token in " + cap + " positions");
        }
        for (int t : expected) {
            if (t == stop) {
                return false; // decoding stops there, short of the answer
            }
        }
        int[] seq = Arrays.copyOf(prompt, end);
        System.arraycopy(expected, 0, seq, prompt.length, expected.length);
        pass.extend(weights, seq, prompt.length);
        for (int p = prompt.length - 1; p < end; p++) {
            if (p == prompt.length) {
                pass.extend(weights, seq, end);
            }
            if (argmax(pass.logits(weights, p)) != (p + 1 < end ? seq[p + 1] : stop)) {
                return false;
            }
        }
        return true;
    }

    /** The arg-max of {@code z}, the lowest index on a tie. */
    private static int argmax(double[] z) {
        int best = 0;
        for (int j = 1; j < z.length; j++) {
            if (z[j] > z[best]) {
                best = j;
            }
        }
        return best;
    }
}
