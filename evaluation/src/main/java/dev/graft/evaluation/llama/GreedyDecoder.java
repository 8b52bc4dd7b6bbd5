package dev.graft.evaluation.llama;

import java.util.Arrays;

/**
 * Greedy decoding (the arg-max token at each step, the lowest id on a tie) with the pass's key/value cache: the
 * prompt is run once, then one position per generated token.
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
        pass.run(weights, seq, 0, prompt.length);
        int n = prompt.length;
        int limit = Math.min(cap, prompt.length + maxTokens);
        while (n < limit) {
            double[] z = pass.logits(weights, n - 1);
            int best = 0;
            for (int j = 1; j < z.length; j++) {
                if (z[j] > z[best]) {
                    best = j;
                }
            }
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
}
