package dev.graft.algorithms.kernels;

import dev.graft.algorithms.SelectiveReference;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static dev.graft.algorithms.kernels.KernelRun.assertSame;
import static dev.graft.algorithms.kernels.KernelRun.run;

class SceKernelTest {
    private static Map<String, Object> topk(double fraction) {
        return Map.of("int8_mask", false, "select_topk", fraction);
    }

    private static final float[] BASE = {0, 0, 0, 0, 0};
    private static final float[] FT1 = {1, -1, 0.5f, 2, 3};
    private static final float[] FT2 = {1, 2, -0.5f, 0, 1};

    @Test
    void withoutSelectionWeightsEachModelByItsMeanSquareAndAveragesTheAgreeingOnes() {
        // w1 = (1 + 1 + 0.25 + 4 + 9)/5 = 3.05, w2 = (1 + 4 + 0.25 + 0 + 1)/5 = 1.25 (normalising cancels in each
        // element but the last). Element 1: vote +1, only ft2 agrees: 2. Element 2: vote 0 elects +: ft1's 0.5.
        // Element 4: (3·w1 + 1·w2)/(w1 + w2) = 10.4/4.3.
        float[] expected = {1, 2, 0.5f, 2, (float) (10.4 / 4.3)};
        assertSame(run(new SceKernel(), Shape.of(5), 0, 1, topk(1), 1, BASE, FT1, FT2), expected, "select_topk 1");
    }

    @Test
    void selectionKeepsTheHighestVariancePositionsLowerIndexFirstAmongTies() {
        // Variances: 0, 2.25, 0.25, 1, 1; four nonzero, k = ⌊0.7·4⌋ = 2: position 1, and of the tied 3 and 4 the
        // lower index, 3. Masked deltas ft1 = (0, −1, 0, 2, 0), ft2 = (0, 2, 0, 0, 0).
        float[] expected = {0, 2, 0, 2, 0};
        assertSame(run(new SceKernel(), Shape.of(5), 0, 1, topk(0.7), 1, BASE, FT1, FT2), expected, "select_topk 0.7");
    }

    @Test
    void selectingNothingGivesTheBase() {
        float[] base = {0.5f, -1, 2, 0, 3};
        float[] ft1 = {1, -1, 0.5f, 2, 3};
        float[] ft2 = {1, 2, -0.5f, 0, 1};
        assertSame(run(new SceKernel(), Shape.of(5), 0, 1, topk(0), 1, base, ft1, ft2), base, "select_topk 0");
        // k = ⌊0.2·4⌋ = 0 (four positions of nonzero variance) selects nothing either.
        assertSame(run(new SceKernel(), Shape.of(5), 0, 1, topk(0.2), 1, base, ft1, ft2), base, "select_topk 0.2");
    }

    @Test
    void tinyDeltasAreWeightedEqually() {
        float[] base = {1, 1, 1};
        float[] ft1 = {1.0001f, 1, 1};
        float[] ft2 = {1.0003f, 1, 1};
        // Mean squares about 3e-9 and 3e-8 sum below 1e-6: w = 1/2 each, the plain mean of the agreeing deltas.
        float[] expected = {(float) (1 + (((double) 1.0001f - 1) * 0.5 + ((double) 1.0003f - 1) * 0.5) / 1.0), 1, 1};
        assertSame(run(new SceKernel(), Shape.of(3), 0, 1, topk(1), 1, base, ft1, ft2), expected, "uniform");
    }

    @Test
    void randomFloat32DeltasMatchTheReferenceExactly() {
        SplittableRandom rng = new SplittableRandom(3);
        int rows = 80;
        int cols = 96;
        float[] base = KernelRun.gaussian(rng, rows * cols, 0.05);
        float[][] models = new float[3][];
        float[] shared = KernelRun.gaussian(rng, base.length, 0.02);
        for (int k = 0; k < 3; k++) {
            float[] delta = KernelRun.gaussian(rng, base.length, 0.02);
            for (int i = 0; i < delta.length; i++) {
                // Some positions unchanged by all, some changed alike by all: variance 0 there.
                delta[i] = i % 13 == 0 ? 0 : i % 11 == 0 ? shared[i] : delta[i];
            }
            models[k] = KernelRun.plus(base, delta);
        }
        float[][] inputs = {base, models[0], models[1], models[2]};
        for (double fraction : new double[] {1, 0.3, 0.9}) {
            for (double lines : new double[] {1, 0.5}) {
                float[] expected = SelectiveReference.sce(base, models, fraction, lines);
                for (int rowsPerChunk : new int[] {1, 3, rows}) {
                    assertSame(run(new SceKernel(), Shape.of(rows, cols), 0, rowsPerChunk, topk(fraction), lines,
                            inputs), expected, "select_topk " + fraction + ", lines " + lines + ", chunks of "
                            + rowsPerChunk);
                }
            }
        }
    }
}
