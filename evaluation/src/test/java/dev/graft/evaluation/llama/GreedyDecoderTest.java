package dev.graft.evaluation.llama;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GreedyDecoderTest {
    private static final LlamaShape SHAPE = new LlamaShape(ByteVocabulary.SIZE, 16, 24, 2, 4, 2, 32, 10000, 1e-5);

    /** The arg-max continuation computed the slow way: the whole sequence again for every token. */
    private static int[] reference(WideWeights w, int[] prompt, int max) {
        int[] seq = Arrays.copyOf(prompt, 32);
        int n = prompt.length;
        while (n < prompt.length + max) {
            LlamaPass fresh = new LlamaPass(SHAPE, 32);
            fresh.run(w, seq, 0, n);
            double[] z = fresh.logits(w, n - 1);
            int best = 0;
            for (int j = 1; j < z.length; j++) {
                best = z[j] > z[best] ? j : best;
            }
            seq[n++] = best;
        }
        return Arrays.copyOfRange(seq, prompt.length, n);
    }

    @Test
    void theCachedDecoderGivesTheTokensOfRecomputingEverything() {
        WideWeights w = LlamaWeights.initial(SHAPE, 8).widened();
        int[] prompt = ByteVocabulary.encodeWithBos("bin 5 is");
        int[] expected = reference(w, prompt, 12);
        // a stop token the model never picks, so all 12 come out
        int never = ByteVocabulary.PAD;
        assertThat(expected).doesNotContain(never);
        assertThat(new GreedyDecoder(new LlamaPass(SHAPE, 32), w).continuation(prompt, 12, never))
                .containsExactly(expected);
        // stopping on the third token gives the two before it
        assertThat(new GreedyDecoder(new LlamaPass(SHAPE, 32), w).continuation(prompt, 12, expected[2]))
                .containsExactly(Arrays.copyOf(expected, Arrays.asList(box(expected)).indexOf(expected[2])));
    }

    @Test
    void generationStopsAtTheCapacity() {
        WideWeights w = LlamaWeights.initial(SHAPE, 8).widened();
        int[] prompt = ByteVocabulary.encodeWithBos("0123456789012345678901234567");
        assertThat(new GreedyDecoder(new LlamaPass(SHAPE, 32), w).continuation(prompt, 100, ByteVocabulary.PAD))
                .hasSize(32 - prompt.length);
        int[] full = ByteVocabulary.encodeWithBos("0123456789012345678901234567890");
        assertThatThrownBy(() -> new GreedyDecoder(new LlamaPass(SHAPE, 32), w).continuation(full, 1, 0))
                .hasMessage("a prompt of 32 tokens leaves no room in 32 positions");
    }

    @Test
    void theTeacherForcedCheckAgreesWithDecodingOnEveryPrefixAndEveryWrongToken() {
        WideWeights w = LlamaWeights.initial(SHAPE, 8).widened();
        int[] prompt = ByteVocabulary.encodeWithBos("bin 5 is");
        int[] decoded = reference(w, prompt, 12);
        int agreed = 0;
        int right = 0;
        for (int k = 0; k < 12; k++) {
            int stop = decoded[k];
            int[] answer = Arrays.copyOf(decoded, k);
            // right when the stop token does not occur earlier in the answer, and wrong for any token changed
            for (int changed = -1; changed < k; changed++) {
                int[] tried = answer.clone();
                if (changed >= 0) {
                    tried[changed] = (tried[changed] + 1) % ByteVocabulary.SIZE;
                }
                boolean decodes = Arrays.equals(new GreedyDecoder(new LlamaPass(SHAPE, 32), w)
                        .continuation(prompt, k + 1, stop), tried);
                assertThat(new GreedyDecoder(new LlamaPass(SHAPE, 32), w).gives(prompt, tried, stop))
                        .as("answer %s, stop %d", Arrays.toString(tried), stop).isEqualTo(decodes);
                agreed++;
                right += decodes ? 1 : 0;
            }
        }
        assertThat(agreed).isEqualTo(78);
        // right: the decoded prefixes whose stop token does not occur in them, and no changed answer
        int fresh = 0;
        for (int k = 0; k < 12; k++) {
            int stop = decoded[k];
            fresh += Arrays.stream(decoded, 0, k).noneMatch(t -> t == stop) ? 1 : 0;
        }
        assertThat(right).isEqualTo(fresh).isPositive();
    }

    @Test
    void theTeacherForcedCheckNeedsRoomForTheStopToken() {
        WideWeights w = LlamaWeights.initial(SHAPE, 8).widened();
        int[] prompt = ByteVocabulary.encodeWithBos("0123456789");
        int[] answer = ByteVocabulary.encode("0123456789012345678901");
        assertThatThrownBy(() -> new GreedyDecoder(new LlamaPass(SHAPE, 32), w).gives(prompt, answer, 0))
                .hasMessage("a prompt of 11 and an answer of 22 tokens leave no room for the stop token in 32 "
                        + "positions");
    }

    private static Integer[] box(int[] a) {
        return Arrays.stream(a).boxed().toArray(Integer[]::new);
    }
}
