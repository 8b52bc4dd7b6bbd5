package dev.graft.algorithms.kernels;

import dev.graft.algorithms.SelectiveReference;
import dev.graft.algorithms.simd.ImportanceLanes;
import dev.graft.algorithms.simd.Simd;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static dev.graft.algorithms.kernels.KernelRun.assertSame;
import static dev.graft.algorithms.kernels.KernelRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ArceeFusionKernelTest {
    /** A base and a fine-tune whose changes are small everywhere and large in a few rows and elements. */
    private static float[][] pair(long seed, int rows, int cols) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] base = KernelRun.gaussian(rng, rows * cols, 1);
        float[] delta = KernelRun.gaussian(rng, rows * cols, 0.01);
        for (int i = 0; i < delta.length; i++) {
            int row = i / cols;
            delta[i] *= row % 9 == 0 ? 20 : i % 31 == 0 ? 8 : 1;
            delta[i] = row % 7 == 3 ? 0 : delta[i]; // rows the fine-tune left alone: KL 0
        }
        return new float[][] {base, KernelRun.plus(base, delta)};
    }

    @Test
    void keepsOnlyTheChangesAtOrAboveMedianPlusOneAndAHalfIqr() {
        float[][] p = pair(1, 64, 48);
        float[] importance = SelectiveReference.importance(p[0], p[1], 48);
        float threshold = SelectiveReference.threshold(importance);
        float[] out = run(new ArceeFusionKernel(), Shape.of(64, 48), 0, 5, Map.of(), 1, p[0], p[1]);
        assertSame(out, SelectiveReference.arceeFusion(p[0], p[1], 48), "arcee_fusion");
        long kept = 0;
        for (int i = 0; i < out.length; i++) {
            boolean changed = p[1][i] != p[0][i];
            // Every element is the base's or the fine-tune's, the fine-tune's exactly where I >= threshold.
            assertThat(out[i]).isEqualTo(changed && importance[i] >= threshold ? p[1][i] : p[0][i]);
            kept += changed && importance[i] >= threshold ? 1 : 0;
        }
        assertThat(kept).as("changes kept").isBetween(1L, out.length / 4L);
    }

    @Test
    void sameResultInAnyChunkingInputOrderAndWhetherRowKlsAreKeptOrRecomputed() {
        float[][] p = pair(2, 90, 40);
        float[] expected = SelectiveReference.arceeFusion(p[0], p[1], 40);
        Shape shape = Shape.of(90, 40);
        for (int rowsPerChunk : new int[] {1, 4, 90}) {
            assertSame(run(new ArceeFusionKernel(), shape, 0, rowsPerChunk, Map.of(), 1, p[0], p[1]), expected,
                    "chunks of " + rowsPerChunk);
            assertSame(run(new ArceeFusionKernel(), shape, 1, rowsPerChunk, Map.of(), 1, p[1], p[0]), expected,
                    "base second, chunks of " + rowsPerChunk);
            assertSame(run(new ArceeFusionKernel(10), shape, 0, rowsPerChunk, Map.of(), 1, p[0], p[1]), expected,
                    "recomputed KLs, chunks of " + rowsPerChunk);
        }
    }

    @Test
    void aOneDimensionalTensorIsOneRow() {
        float[][] p = pair(4, 1, 300);
        assertSame(run(new ArceeFusionKernel(), Shape.of(300), 0, 1, Map.of(), 1, p[0], p[1]),
                SelectiveReference.arceeFusion(p[0], p[1], 300), "1-D");
    }

    @Test
    void rowsOfOneElementHaveKlZeroSoEveryChangeIsKept() {
        // softmax of one value is 1 in both models: KL 0, every importance 0, threshold 0, and 0 >= 0 keeps all.
        float[] base = {1, 2, 3, 4};
        float[] ft = {1.5f, 2, 2, 4.25f};
        assertSame(run(new ArceeFusionKernel(), Shape.of(4, 1), 0, 1, Map.of(), 1, base, ft), ft, "rows of 1");
    }

    @Test
    void importancesInVectorsAreTheScalarLoopsBits() {
        assumeTrue(Simd.ENABLED);
        float[][] p = pair(5, 3, 103);
        p[1][7] = Float.NaN;
        p[1][9] = Float.POSITIVE_INFINITY;
        p[0][11] = -0f;
        p[1][11] = 0f;
        p[1][13] = Float.MAX_VALUE;
        p[0][13] = -Float.MAX_VALUE;
        for (double kl : new double[] {0, 1e-7, 0.37, 1e30, Double.NaN}) {
            for (int[] range : new int[][] {{0, 309}, {3, 103}, {5, 3}, {300, 9}}) {
                float[] scalar = new float[320];
                float[] lanes = new float[320];
                ArceeFusionKernel.importancesScalar(p[1], p[0], range[0], range[1], kl, scalar, 2);
                ImportanceLanes.importances(p[1], p[0], range[0], range[1], kl, lanes, 2);
                int[] a = new int[lanes.length];
                int[] e = new int[scalar.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = Float.floatToIntBits(lanes[i]);
                    e[i] = Float.floatToIntBits(scalar[i]);
                }
                assertThat(a).as("kl %s, range %d+%d", kl, range[0], range[1]).isEqualTo(e);
            }
        }
    }

    /** Above 10⁶ elements mergekit sorts a random sample; Graft's quartiles are the exact ones of all elements. */
    @Test
    void quartilesAreExactAboveAMillionElements() {
        int rows = 1100;
        int cols = 1000;
        float[][] p = pair(3, rows, cols);
        assertSame(run(new ArceeFusionKernel(), Shape.of(rows, cols), 0, 262, Map.of(), 1, p[0], p[1]),
                SelectiveReference.arceeFusion(p[0], p[1], cols), "1.1M elements");
    }
}
