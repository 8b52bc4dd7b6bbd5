package dev.graft.algorithms.sparsify;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class MagnitudeRanksTest {
    /** The ranks DELLA kept by first: those of a comparison sort of (|x| bits, position) pairs. */
    private static int[] pairSortRanks(float[] values, int start, int length) {
        long[] pairs = new long[length];
        for (int j = 0; j < length; j++) {
            pairs[j] = ((Float.floatToRawIntBits(values[start + j]) & 0x7FFF_FFFFL) << 32) | j;
        }
        Arrays.sort(pairs);
        int[] ranks = new int[length];
        for (int r = 0; r < length; r++) {
            ranks[(int) pairs[r]] = r;
        }
        return ranks;
    }

    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7FC0_0001), Float.MAX_VALUE, 1e-30f};

    /**
     * Rows of five kinds: bf16-rounded values with zeros (sorted by the top bits alone), the same with a rare special
     * value (some with low bits), bf16 values over many binades, float32 values (groups of equal top bits sorted by
     * their low bits) and float32 values in [1, 1.01), which share their top bits (a few groups of thousands).
     */
    @Test
    void ranksAsThePairSortDoesOnEveryKindOfRow() {
        SplittableRandom random = new SplittableRandom(7);
        MagnitudeRanks magnitudes = new MagnitudeRanks(6000);
        for (int trial = 0; trial < 500; trial++) {
            int kind = trial % 5;
            int length = 1 + random.nextInt(6000);
            int start = random.nextInt(50);
            float[] values = new float[start + length + 10];
            for (int j = 0; j < values.length; j++) {
                float x = (float) (random.nextGaussian() * Math.pow(10, kind == 2 ? random.nextInt(-30, 30)
                        : random.nextInt(-6, 0)));
                int bits = Float.floatToRawIntBits(x);
                values[j] = switch (kind) {
                    case 0 -> random.nextInt(8) == 0 ? (random.nextBoolean() ? 0f : -0f)
                            : Float.intBitsToFloat(bits & 0xFFFF_0000);
                    case 1 -> random.nextInt(50) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)]
                            : Float.intBitsToFloat(bits & 0xFFFF_0000);
                    case 2 -> Float.intBitsToFloat(bits & 0xFFFF_0000);
                    case 3 -> x;
                    default -> (random.nextBoolean() ? 1 : -1) * (1f + random.nextFloat() * 0.01f);
                };
            }
            int[] ranks = Arrays.copyOf(magnitudes.ascending(values, start, length), length);
            assertThat(ranks).as("trial %d, kind %d, length %d", trial, kind, length)
                    .isEqualTo(pairSortRanks(values, start, length));
        }
    }

    @Test
    void equalMagnitudesRankInPositionOrderWhateverTheSign() {
        float[] row = {-2f, 1f, 2f, -1f, 0f, -0f, 2f};
        // bf16 values: ranked by their top bits alone.
        assertThat(Arrays.copyOf(new MagnitudeRanks(7).ascending(row, 0, 7), 7)).containsExactly(4, 2, 5, 3, 0, 1, 6);
        float[] wide = {-2f, 1.1f, 2f, -1.1f, 0f, -0f, 2f};
        // 1.1f has low bits: its group is sorted by them.
        assertThat(Arrays.copyOf(new MagnitudeRanks(7).ascending(wide, 0, 7), 7)).containsExactly(4, 2, 5, 3, 0, 1, 6);
        float[] zeros = {0f, -0f, 0f};
        assertThat(Arrays.copyOf(new MagnitudeRanks(3).ascending(zeros, 0, 3), 3)).containsExactly(0, 1, 2);
    }

    @Test
    void aGroupOfEqualTopBitsIsRankedByItsLowBitsAfterItsBf16Key() {
        // Top bits equal, low bits descending, and the group's bf16 key (low bits 0) last in position order.
        int n = 100;
        float[] row = new float[n + 2];
        for (int j = 0; j < n; j++) {
            row[j] = Float.intBitsToFloat(0x3F80_0000 + n - j);
        }
        row[n] = -1f;
        row[n + 1] = 1f;
        int[] ranks = new MagnitudeRanks(n + 2).ascending(row, 0, n + 2);
        for (int j = 0; j < n; j++) {
            assertThat(ranks[j]).isEqualTo(n + 1 - j);
        }
        assertThat(ranks[n]).isZero();
        assertThat(ranks[n + 1]).isEqualTo(1);
    }
}
