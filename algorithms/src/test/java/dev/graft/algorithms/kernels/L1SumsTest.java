package dev.graft.algorithms.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The models' L1 sums taken side by side against the loop they replace, one model after another, bit for bit. */
class L1SumsTest {

    private static double oneModel(float[] d, int len) {
        double sum = 0;
        for (int e = 0; e < len; e++) {
            sum += Math.abs(d[e]);
        }
        return sum;
    }

    @Test
    void everyModelCountGivesTheSequentialSumsBits() {
        SplittableRandom rng = new SplittableRandom(7);
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, -3.5f, 1e30f,
                Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int n = 1; n <= 6; n++) {
            for (int len : new int[] {0, 1, 7, 4096, 5000}) {
                float[][] d = new float[n][len + 3];
                for (float[] row : d) {
                    for (int e = 0; e < row.length; e++) {
                        // Wide magnitudes, so that the order of the additions shows in the bits.
                        row[e] = rng.nextInt(8) == 0 ? special[rng.nextInt(special.length)]
                                : (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-8, 8)));
                    }
                }
                double[] out = new double[n + 1];
                out[n] = 42;
                L1Sums.of(d, len, out);
                for (int k = 0; k < n; k++) {
                    assertThat(Double.doubleToRawLongBits(out[k])).as("%d models, %d elements, model %d", n, len, k)
                            .isEqualTo(Double.doubleToRawLongBits(oneModel(d[k], len)));
                }
                assertThat(out[n]).as("past the models").isEqualTo(42);
            }
        }
    }

    @Test
    void infinitiesAndNaNsPropagateAsInTheSequentialSums() {
        float[][] d = {{1f, Float.POSITIVE_INFINITY, 2f}, {Float.NaN, 1f, 1f}, {-0f, -0f, -0f},
                {Float.NEGATIVE_INFINITY, 1f, Float.NaN}, {3f, 4f, 5f}};
        for (int n = 1; n <= d.length; n++) {
            float[][] some = java.util.Arrays.copyOf(d, n);
            double[] out = new double[n];
            L1Sums.of(some, 3, out);
            for (int k = 0; k < n; k++) {
                assertThat(Double.doubleToRawLongBits(out[k])).as("%d models, model %d", n, k)
                        .isEqualTo(Double.doubleToRawLongBits(oneModel(some[k], 3)));
            }
        }
    }
}
