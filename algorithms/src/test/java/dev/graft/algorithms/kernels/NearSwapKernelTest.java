package dev.graft.algorithms.kernels;

import dev.graft.algorithms.SelectiveReference;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static dev.graft.algorithms.kernels.KernelRun.assertSame;
import static dev.graft.algorithms.kernels.KernelRun.run;
import static org.assertj.core.api.Assertions.assertThat;

class NearSwapKernelTest {
    @Test
    void takesCloseValuesAndInterpolatesFarOnesByTOverTheDistance() {
        float[] base = {0, 1, 2, 5, -3};
        float[] other = {0, 1.0005f, 3, 5, -1};
        // Equal: weight 1 (the 1e-6 floor); |d| = 0.0005 < t: weight 1; |d| = 1: weight 0.001;
        // |d| = 2: weight 0.0005.
        float[] expected = {0, 1.0005f, (float) (0.001 * 3 + 0.999 * 2), 5, (float) (0.0005 * -1 + 0.9995 * -3)};
        float[] out = run(new NearSwapKernel(), Shape.of(5), 0, 1, Map.of("t", 0.001), 1, base, other);
        assertSame(out, expected, "nearswap");
        assertThat(out[2]).isEqualTo(2.001f);
    }

    @Test
    void tZeroGivesTheBaseAndNegativeTClampsToIt() {
        float[] base = {0.5f, -1, 2};
        float[] other = {0.25f, -1, 7};
        for (double t : new double[] {0, -3}) {
            // Equal values: t/1e-6 clamps to 0 too when t <= 0.
            assertSame(run(new NearSwapKernel(), Shape.of(3), 0, 1, Map.of("t", t), 1, base, other), base, "t=" + t);
        }
    }

    @Test
    void distancesBelowOneMillionthCountAsOneMillionthForTinyT() {
        float[] base = {1, 2, 4};
        float[] other = {Math.nextUp(Math.nextUp(1f)), 2 + 4e-7f, 4};
        // t = 5e-7 below the 1e-6 floor: the two close pairs get w = 5e-7/1e-6 = 0.5 (their midpoints), not
        // t/|d| > 1; equal values stay.
        float[] expected = {(float) (0.5 * other[0] + 0.5 * base[0]), (float) (0.5 * other[1] + 0.5 * base[1]), 4};
        assertSame(run(new NearSwapKernel(), Shape.of(3), 0, 1, Map.of("t", 5e-7), 1, base, other), expected,
                "tiny t");
        assertThat(expected[1]).isNotEqualTo(other[1]).isNotEqualTo(base[1]);
    }

    @Test
    void randomFloat32TensorsMatchTheReferenceExactlyInAnyChunkingAndInputOrder() {
        SplittableRandom rng = new SplittableRandom(11);
        int rows = 96;
        int cols = 80;
        float[] base = KernelRun.gaussian(rng, rows * cols, 0.05);
        float[] delta = new float[base.length];
        for (int i = 0; i < delta.length; i++) {
            // Distances from 0 (equal values) through the 1e-6 floor to far beyond t.
            delta[i] = i % 17 == 0 ? 0 : (float) (KernelRun.gaussian(rng) * Math.pow(10, -1 - 7 * rng.nextDouble()));
        }
        float[] other = KernelRun.plus(base, delta);
        for (double t : new double[] {3e-7, 1e-4, 0.003, 0.5}) {
            float[] expected = SelectiveReference.nearswap(base, other, t);
            for (int rowsPerChunk : new int[] {1, 7, rows}) {
                assertSame(run(new NearSwapKernel(), Shape.of(rows, cols), 0, rowsPerChunk, Map.of("t", t), 1,
                        base, other), expected, "t=" + t + ", base first, chunks of " + rowsPerChunk);
                assertSame(run(new NearSwapKernel(), Shape.of(rows, cols), 1, rowsPerChunk, Map.of("t", t), 1,
                        other, base), expected, "t=" + t + ", base second, chunks of " + rowsPerChunk);
            }
        }
    }
}
