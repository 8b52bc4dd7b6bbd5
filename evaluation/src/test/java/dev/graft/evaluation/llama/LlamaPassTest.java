package dev.graft.evaluation.llama;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class LlamaPassTest {
    /** Two layers, grouped-query attention (4 query heads on 2 key/value heads of size 4): 3,120 parameters. */
    private static final LlamaShape SHAPE = new LlamaShape(11, 16, 12, 2, 4, 2, 8, 10000, 1e-5);
    private static final int[] SEQ = {3, 7, 1, 10, 0, 7, 2};
    private static final boolean[] PREDICTED = {false, true, false, true, true, false, true};

    /** Initial weights with every RMSNorm scale moved off 1, so that their gradients are not a special case. */
    private static WideWeights weights() {
        WideWeights w = LlamaWeights.initial(SHAPE, 5).widened();
        SplittableRandom rng = new SplittableRandom(9);
        for (int t = 0; t < w.count(); t++) {
            if (w.size(t) == SHAPE.hidden()) {
                for (int i = 0; i < w.size(t); i++) {
                    w.set(t, i, 0.5 + rng.nextDouble());
                }
            }
        }
        return w;
    }

    @Test
    void everyGradientMatchesCentralFiniteDifferences() {
        WideWeights w = weights();
        LlamaPass pass = new LlamaPass(SHAPE, 8);
        double[][] grad = w.zerosLike();
        pass.loss(w, SEQ, SEQ.length, PREDICTED, 1, grad);
        double h = 1e-5;
        int checked = 0;
                for (int t = 0; t < w.count(); t++) {
            for (int j = 0; j < w.size(t); j++) {
                double keep = w.get(t, j);
                w.set(t, j, keep + h);
                double plus = pass.loss(w, SEQ, SEQ.length, PREDICTED, 1, null);
                w.set(t, j, keep - h);
                double minus = pass.loss(w, SEQ, SEQ.length, PREDICTED, 1, null);
                w.set(t, j, keep);
                double numeric = (plus - minus) / (2 * h);
                double error = Math.abs(numeric - grad[t][j]) / Math.max(1e-3, Math.abs(numeric));
                assertThat(error).as("%s[%d]: analytic %s, numeric %s", SHAPE.names().get(t), j, grad[t][j], numeric)
                        .isLessThan(1e-5);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(3120).isEqualTo((int) SHAPE.parameterCount());
        // the tokens not in the sequence get no gradient in the embedding, and every other tensor some
        for (int t = 0; t < w.count(); t++) {
            double norm = 0;
            for (double g : grad[t]) {
                norm += g * g;
            }
            assertThat(norm).as(SHAPE.names().get(t)).isPositive();
        }
        assertThat(grad[0][4 * SHAPE.hidden()]).isZero();
    }

    @Test
    void incrementalPositionsGiveTheLogitsOfTheWholeSequence() {
        WideWeights w = weights();
        LlamaPass whole = new LlamaPass(SHAPE, 8);
        whole.run(w, SEQ, 0, SEQ.length);
        double[] expected = whole.logits(w, SEQ.length - 1).clone();
        LlamaPass steps = new LlamaPass(SHAPE, 8);
        steps.run(w, SEQ, 0, 3);
        for (int p = 3; p < SEQ.length; p++) {
            steps.run(w, SEQ, p, p + 1);
        }
        assertThat(steps.logits(w, SEQ.length - 1)).containsExactly(expected);
    }

    @Test
    void theFirstPositionAttendsOnlyToItself() {
        // at position 0 attention returns v₀ whatever the queries: changing a later token cannot change it
        WideWeights w = weights();
        LlamaPass pass = new LlamaPass(SHAPE, 8);
        pass.run(w, SEQ, 0, SEQ.length);
        double[] first = pass.logits(w, 0).clone();
        int[] other = SEQ.clone();
        other[1] = 9;
        other[4] = 5;
        pass.run(w, other, 0, other.length);
        assertThat(pass.logits(w, 0)).containsExactly(first);
        assertThat(pass.logits(w, 1)).isNotEqualTo(first);
    }

    @Test
    void extendingRunsOnlyPastTheHeldPrefixAndGivesTheLogitsOfAFreshPass() {
        WideWeights w = weights();
        int[] shorter = {3, 7, 1, 10};
        int[] branch = {3, 7, 4, 4, 4, 0};
        LlamaPass pass = new LlamaPass(SHAPE, 8);
        assertThat(pass.extend(w, SEQ, SEQ.length)).isZero();
        assertThat(pass.extend(w, shorter, shorter.length)).isEqualTo(4); // all held
        assertThat(pass.extend(w, branch, branch.length)).isEqualTo(2);
        assertThat(pass.extend(w, SEQ, SEQ.length)).isEqualTo(2);
        for (int[] seq : new int[][] {branch, SEQ}) {
            pass.extend(w, seq, seq.length);
            LlamaPass fresh = new LlamaPass(SHAPE, 8);
            fresh.run(w, seq, 0, seq.length);
            for (int p = 0; p < seq.length; p++) {
                assertThat(pass.logits(w, p)).as("position %d", p).containsExactly(fresh.logits(w, p).clone());
            }
        }
        // other weights, or the same ones changed, share nothing with what was run
        assertThat(pass.extend(weights(), SEQ, SEQ.length)).isZero();
        w.set(3, 0, 0.25);
        assertThat(pass.extend(w, SEQ, SEQ.length)).isZero();
        assertThat(pass.extend(w, SEQ, SEQ.length)).isEqualTo(SEQ.length);
    }

    @Test
    void anExplicitRunForgetsWhatFollowsIt() {
        WideWeights w = weights();
        LlamaPass pass = new LlamaPass(SHAPE, 8);
        pass.extend(w, SEQ, SEQ.length);
        int[] other = SEQ.clone();
        other[2] = 9;
        pass.run(w, other, 2, 3);
        // positions 3.. were computed after SEQ's token 2, not other's: only 0..2 are held now
        assertThat(pass.extend(w, SEQ, SEQ.length)).isEqualTo(2);
        pass.run(w, other, 2, 3);
        assertThat(pass.extend(w, other, SEQ.length)).isEqualTo(3);
    }
}
