package dev.graft.algorithms.sparsify;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class MagnitudeOrderTest {
    /** The order DELLA ranked by before: a comparison sort of (|x| bits, position) pairs. */
    private static int[] pairSort(float[] values, int start, int length) {
        long[] pairs = new long[length];
        for (int j = 0; j < length; j++) {
            pairs[j] = ((Float.floatToRawIntBits(values[start + j]) & 0x7FFF_FFFFL) << 32) | j;
        }
        Arrays.sort(pairs);
        int[] order = new int[length];
        for (int j = 0; j < length; j++) {
            order[j] = (int) pairs[j];
        }
        return order;
    }

    @Test
    void ordersAsThePairSortDoesOnTiedBf16LikeRowsAndSpecialValues() {
        SplittableRandom random = new SplittableRandom(7);
        MagnitudeOrder magnitudes = new MagnitudeOrder(6000);
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7FC0_0001), Float.MAX_VALUE, 1e-30f};
        for (int trial = 0; trial < 200; trial++) {
            int length = 1 + random.nextInt(6000);
            int start = random.nextInt(50);
            float[] values = new float[start + length + 10];
            for (int j = 0; j < values.length; j++) {
                float x = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-6, 3)));
                // bf16 rounding makes magnitudes tie, as fine-tune deltas do; some rows share one exponent
                int bits = Float.floatToRawIntBits(trial % 3 == 0 ? 1f + Math.abs(x) * 1e-3f : x) & 0xFFFF_0000;
                values[j] = random.nextInt(50) == 0 ? special[random.nextInt(special.length)]
                        : Float.intBitsToFloat(bits);
            }
            int[] radix = Arrays.copyOf(magnitudes.ascending(values, start, length), length);
            assertThat(radix).as("trial %d, length %d", trial, length).isEqualTo(pairSort(values, start, length));
        }
    }

    @Test
    void equalMagnitudesKeepTheirPositionOrderWhateverTheSign() {
        float[] row = {-2f, 1f, 2f, -1f, 0f, -0f, 2f};
        assertThat(Arrays.copyOf(new MagnitudeOrder(7).ascending(row, 0, 7), 7))
                .containsExactly(4, 5, 1, 3, 0, 2, 6);
    }
}
