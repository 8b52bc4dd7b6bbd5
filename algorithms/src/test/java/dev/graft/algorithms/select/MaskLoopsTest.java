package dev.graft.algorithms.select;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The float loops must decide, count and zero exactly as the bit loops on finite data, whatever the bounds. */
class MaskLoopsTest {

    private static final float[] FINITE_SPECIALS = {
            0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.intBitsToFloat(0x007F_FFFF),
            Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.5f, -0.5f, Math.nextUp(1f), -Math.nextDown(1f),
    };

    @Test
    void floatLoopsMatchTheBitLoopsOnFiniteDataForEveryBound() {
        float[] data = finiteData(4099, 7);
        List<Integer> bounds = new ArrayList<>(List.of(-1, 0, 1, MagnitudeKey.INFINITY - 2,
                MagnitudeKey.INFINITY - 1, MagnitudeKey.INFINITY, MagnitudeKey.NAN, Integer.MAX_VALUE - 1));
        for (float x : FINITE_SPECIALS) {
            int key = MagnitudeKey.of(x);
            bounds.add(key - 1);
            bounds.add(key);
            bounds.add(key + 1);
        }
        for (int low : bounds) {
            for (int high : bounds) {
                if (high < 0) {
                    continue;
                }
                for (int tie : new int[] {0, MagnitudeKey.of(1f), MagnitudeKey.of(Float.MAX_VALUE),
                        MagnitudeKey.INFINITY, MagnitudeKey.NAN, Integer.MAX_VALUE}) {
                    float[] bits = data.clone();
                    float[] floats = data.clone();
                    float[] scalar = data.clone();
                    int tiedBits = MaskLoops.zeroOutside(bits, 3, 4090, low, high, tie);
                    // The dispatching form (vectors when the tests run with the Vector API) and the scalar one.
                    int tiedFloats = MaskLoops.zeroOutsideFinite(floats, 3, 4090, MaskLoops.leastAbove(low),
                            MaskLoops.limitBelow(high), Float.intBitsToFloat(tie));
                    int tiedScalar = MaskLoops.zeroOutsideFiniteScalar(scalar, 3, 4090, MaskLoops.leastAbove(low),
                            MaskLoops.limitBelow(high), Float.intBitsToFloat(tie));
                    assertThat(tiedFloats).as("ties, low %d high %d tie %d", low, high, tie).isEqualTo(tiedBits);
                    assertThat(tiedScalar).as("ties, scalar, low %d high %d tie %d", low, high, tie)
                            .isEqualTo(tiedBits);
                    assertThat(rawBits(floats)).as("values, low %d high %d", low, high).isEqualTo(rawBits(bits));
                    assertThat(rawBits(scalar)).as("values, scalar, low %d high %d", low, high)
                            .isEqualTo(rawBits(bits));
                    assertThat(MaskLoops.countEqualFinite(data, 3, 4090, Float.intBitsToFloat(tie)))
                            .isEqualTo(MaskLoops.countEqual(data, 3, 4090, tie));
                }
            }
        }
    }

    @Test
    void theSearchTellsWhetherItsDataWasFinite() {
        float[] finite = finiteData(1000, 3);
        float[] withInfinity = finite.clone();
        withInfinity[500] = Float.NEGATIVE_INFINITY;
        float[] withNan = finite.clone();
        withNan[0] = Float.intBitsToFloat(0xFFC0_0001);
        assertThat(searched(finite).allFinite()).isTrue();
        assertThat(searched(withInfinity).allFinite()).isFalse();
        assertThat(searched(withNan).allFinite()).isFalse();
        assertThat(new RadixRankSearch(10).allFinite()).as("no rank, no pass").isFalse();
    }

    private static RadixRankSearch searched(float[] data) {
        RadixRankSearch search = new RadixRankSearch(data.length, data.length / 2);
        assertThat(search.allFinite()).as("before pass 1").isFalse();
        search.accept(data, 0, data.length);
        search.endPass();
        return search;
    }

    /** Gaussian values, ties, zeros of both signs, subnormals and the extremes: everything but ±∞ and NaN. */
    private static float[] finiteData(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = switch (random.nextInt(3)) {
                case 0 -> FINITE_SPECIALS[random.nextInt(FINITE_SPECIALS.length)];
                case 1 -> (float) random.nextGaussian();
                default -> {
                    float x = Float.intBitsToFloat(random.nextInt());
                    yield Float.isFinite(x) ? x : 2f;
                }
            };
        }
        return values;
    }

    private static int[] rawBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
