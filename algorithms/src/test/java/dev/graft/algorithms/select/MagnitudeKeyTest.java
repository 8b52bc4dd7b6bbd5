package dev.graft.algorithms.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MagnitudeKeyTest {

    @Test
    void givesTheBitsOfTheMagnitude() {
        assertThat(MagnitudeKey.of(0f)).isZero();
        assertThat(MagnitudeKey.of(-0f)).isZero();
        assertThat(MagnitudeKey.of(Float.MIN_VALUE)).isEqualTo(1);
        assertThat(MagnitudeKey.of(-1f)).isEqualTo(0x3F80_0000);
        assertThat(MagnitudeKey.of(Float.NEGATIVE_INFINITY)).isEqualTo(MagnitudeKey.INFINITY);
        assertThat(MagnitudeKey.of(-Float.MAX_VALUE)).isEqualTo(0x7F7F_FFFF);
    }

    @Test
    void foldsEveryNanOntoOneKeyAboveInfinity() {
        for (float nan : TestData.NANS) {
            assertThat(MagnitudeKey.of(nan)).as("0x%08X", Float.floatToRawIntBits(nan)).isEqualTo(MagnitudeKey.NAN);
        }
        assertThat(MagnitudeKey.NAN).isGreaterThan(MagnitudeKey.INFINITY);
        assertThat(MagnitudeKey.HIGH_BUCKETS).isEqualTo(0x7F81);
    }

    @Test
    void ordersLikeTheMagnitudesOfRandomBitPatterns() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            float a = Float.intBitsToFloat(random.nextInt());
            float b = Float.intBitsToFloat(random.nextInt());
            assertThat(Integer.signum(Integer.compare(MagnitudeKey.of(a), MagnitudeKey.of(b))))
                    .as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(Float.compare(Math.abs(a), Math.abs(b))));
        }
    }

    @Test
    void mapsKeysBackToMagnitudes() {
        assertThat(MagnitudeKey.magnitude(MagnitudeKey.of(-2.5f))).isEqualTo(2.5f);
        assertThat(MagnitudeKey.magnitude(MagnitudeKey.NAN)).isNaN();
        assertThat(MagnitudeKey.magnitude(MagnitudeKey.INFINITY)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThatThrownBy(() -> MagnitudeKey.magnitude(MagnitudeKey.NAN + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
