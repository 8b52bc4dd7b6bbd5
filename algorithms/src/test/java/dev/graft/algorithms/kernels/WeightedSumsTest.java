package dev.graft.algorithms.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The element-outer sums against the model-by-model loops they replaced, bit for bit, for one to six models (the
 * specialised counts and the general loop), at an offset, on values with signed zeros, infinities and NaN.
 */
class WeightedSumsTest {
    private static final int LEN = 301;
    private static final int OFF = 7;

    private static float[][] inputs(int models, SplittableRandom random) {
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e38f, -1e-45f};
        float[][] x = new float[models][OFF + LEN];
        for (float[] row : x) {
            for (int e = 0; e < row.length; e++) {
                row[e] = random.nextInt(20) == 0 ? specials[random.nextInt(specials.length)]
                        : (float) random.nextGaussian();
            }
        }
        return x;
    }

    private static float[] weights(int models, SplittableRandom random) {
        float[] w = new float[models];
        for (int k = 0; k < models; k++) {
            w[k] = k == 1 ? -0f : (float) random.nextGaussian();
        }
        return w;
    }

    @Test
    void soupsAddTheModelsInOrderAsTheModelByModelLoopDid() {
        SplittableRandom random = new SplittableRandom(14);
        for (int models = 1; models <= 6; models++) {
            float[][] x = inputs(models, random);
            float[] w = weights(models, random);
            for (float divisor : new float[] {1f, 0.7f, -3f}) {
                float[] expected = new float[LEN];
                for (int k = 0; k < models; k++) {
                    for (int e = 0; e < LEN; e++) {
                        expected[e] += w[k] * x[k][OFF + e];
                    }
                }
                for (int e = 0; e < LEN; e++) {
                    expected[e] /= divisor;
                }
                float[] r = new float[LEN];
                WeightedSums.soup(x, w, OFF, LEN, divisor, r);
                assertBits(r, expected, models);
            }
        }
    }

    @Test
    void taskVectorsAddTheDeltasInOrderAsTheModelByModelLoopDid() {
        SplittableRandom random = new SplittableRandom(15);
        for (int models = 1; models <= 6; models++) {
            float[][] x = inputs(models, random);
            float[] base = inputs(1, random)[0];
            float[] w = weights(models, random);
            float div = 1.3f;
            float factor = 0.6f;
            float[] mixed = new float[LEN];
            for (int k = 0; k < models; k++) {
                for (int e = 0; e < LEN; e++) {
                    mixed[e] += w[k] * (x[k][OFF + e] - base[OFF + e]);
                }
            }
            float[] expected = new float[LEN];
            for (int e = 0; e < LEN; e++) {
                expected[e] = base[OFF + e] + (mixed[e] / div) * factor;
            }
            float[] r = new float[LEN];
            WeightedSums.taskVectors(x, w, base, OFF, LEN, div, factor, r);
            assertBits(r, expected, models);
        }
    }

    private static void assertBits(float[] actual, float[] expected, int models) {
        for (int e = 0; e < expected.length; e++) {
            assertThat(Float.floatToRawIntBits(actual[e])).as("%d models, element %d", models, e)
                    .isEqualTo(Float.floatToRawIntBits(expected[e]));
        }
    }
}
