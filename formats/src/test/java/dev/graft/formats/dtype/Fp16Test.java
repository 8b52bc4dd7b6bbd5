package dev.graft.formats.dtype;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Fp16Test {

    @Test
    void decodesEveryNumberAndInfinityToTheTextbookValue() {
        for (int h = 0; h < 0x10000; h++) {
            double expected = ReferenceFormat.F16.value(h);
            if (!Double.isNaN(expected)) {
                float actual = Fp16.toFloat((short) h);
                assertThat((double) actual).as("f16 0x%04X", h).isEqualTo(expected);
                // isEqualTo on doubles does not tell -0.0 from 0.0; the sign bit must survive too.
                assertThat(Float.floatToRawIntBits(actual) >>> 31).isEqualTo(h >>> 15);
            }
        }
    }

    @Test
    void decodesNansKeepingSignAndPayloadAndSettingTheQuietBit() {
        for (int h = 0; h < 0x10000; h++) {
            if (ReferenceFormat.F16.isNaN(h)) {
                int expected = ((h & 0x8000) << 16) | 0x7F80_0000 | ((h & 0x3FF) << 13) | 0x0040_0000;
                assertThat(Integer.toHexString(Float.floatToRawIntBits(Fp16.toFloat((short) h))))
                        .as("f16 0x%04X", h).isEqualTo(Integer.toHexString(expected));
            }
        }
    }

    @Test
    void theFallbackNanFixUpGivesTheSameBitsAsTheIntrinsicPath() {
        // Only one of the two paths in Fp16.toFloat runs on a given JVM; the other is checked directly here.
        for (int h = 0; h < 0x10000; h++) {
            if (ReferenceFormat.F16.isNaN(h)) {
                int expected = ((h & 0x8000) << 16) | 0x7F80_0000 | ((h & 0x3FF) << 13) | 0x0040_0000;
                assertThat(Float.floatToRawIntBits(Fp16.quietNan((short) h))).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "1.0, 0x3C00",
            "-2.0, 0xC000",
            "0.0, 0x0000",
            "-0.0, 0x8000",
            "65504, 0x7BFF",          // largest finite half
            "65519.996, 0x7BFF",      // the float just below the overflow midpoint
            "65520, 0x7C00",          // midpoint between 65504 and 65536: ties to even, which is infinity
            "-65520, 0xFC00",
            "1e10, 0x7C00",
            "Infinity, 0x7C00",
            "-Infinity, 0xFC00",
            "0x1p-24, 0x0001",        // smallest subnormal
            "0x1p-25, 0x0000",        // half of it: ties to even, zero
            "-0x1p-25, 0x8000",
            "0x1.8p-25, 0x0001",      // 3 * 2^-26: above the midpoint
            "0x1.8p-24, 0x0002",      // 1.5 ulps: ties to even, 2
            "0x1.4p-24, 0x0001",      // 1.25 ulps
            "0x1p-14, 0x0400",        // smallest normal
            "0x1.ff8p-15, 0x03FF",    // largest subnormal
            "0x1.ffcp-15, 0x0400",    // halfway between largest subnormal and smallest normal: even is 0x0400
            "1.00048828125, 0x3C00",  // 1 + 2^-11: tie, stays on the even 1.0
            "1.00146484375, 0x3C02",  // 1 + 3 * 2^-11: tie, goes up to the even 0x3C02
            "3.14159265, 0x4248",
            "NaN, 0x7E00",
    })
    void encodesGoldenValues(String value, String expected) {
        float f = Float.parseFloat(value);
        assertThat(Fp16.fromFloat(f)).isEqualTo((short) Integer.parseInt(expected.substring(2), 16));
    }

    @Test
    void encodesEveryNanAsTheCanonicalQuietNanWithItsSign() {
        for (int payload : new int[] {1, 0x1000, 0x2000, 0x3FFFFF, 0x400000, 0x7FFFFF}) {
            assertThat(Fp16.fromFloat(Float.intBitsToFloat(0x7F80_0000 | payload))).isEqualTo((short) 0x7E00);
            assertThat(Fp16.fromFloat(Float.intBitsToFloat(0xFF80_0000 | payload))).isEqualTo((short) 0xFE00);
        }
    }

    @Test
    void roundTripsEveryNonNanPattern() {
        for (int h = 0; h < 0x10000; h++) {
            if (!ReferenceFormat.F16.isNaN(h)) {
                assertThat(Fp16.fromFloat(Fp16.toFloat((short) h))).as("f16 0x%04X", h).isEqualTo((short) h);
            }
        }
    }

    @Test
    void roundsLikeTheReferenceModel() {
        RoundingSweep sweep = new RoundingSweep(ReferenceFormat.F16, Fp16::fromFloat)
                .midpoints()
                .stratified(1 << 22, 0xF16L)
                // Every float in [2^-26, 2^-25), [2^-25, 2^-24), just below 2^-14 and in [65280, 65536), both signs.
                .allWithHighBits(high -> switch (high & 0x7FFF) {
                    case 0x3280, 0x3300, 0x387F, 0x477F -> true;
                    default -> false;
                });
        assertThat(sweep.mismatches()).isEmpty();
    }

    @Test
    void agreesWithTheJdkConversionOnEveryNonNanInSixteenMillionSamples() {
        // The JDK's Float.floatToFloat16 is IEEE round-to-nearest-even; only NaN handling differs by design.
        SplittableRandom random = new SplittableRandom(16);
        long slice = 1L << 8;
        for (long i = 0; i < 1L << 24; i++) {
            float f = Float.intBitsToFloat((int) (i * slice + random.nextLong(slice)));
            if (!Float.isNaN(f)) {
                short expected = Float.floatToFloat16(f);
                short actual = Fp16.fromFloat(f);
                if (expected != actual) {
                    assertThat(actual).as("%s", f).isEqualTo(expected);
                }
            }
        }
    }
}
