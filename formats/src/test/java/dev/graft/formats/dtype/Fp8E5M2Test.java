package dev.graft.formats.dtype;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Fp8E5M2Test {

    @Test
    void decodesAllNumberAndInfinityCodesToTheTextbookValue() {
        for (int b = 0; b < 256; b++) {
            double expected = ReferenceFormat.E5M2.value(b);
            if (!Double.isNaN(expected)) {
                float actual = Fp8E5M2.toFloat((byte) b);
                assertThat((double) actual).as("e5m2 0x%02X", b).isEqualTo(expected);
                assertThat(Float.floatToRawIntBits(actual) >>> 31).isEqualTo(b >>> 7);
            }
        }
    }

    @Test
    void decodesNanCodesQuietWithTheirPayload() {
        // Torch widens through binary16 (fp16_ieee_to_fp32_value), whose float multiply quietens the NaN.
        for (int b = 0; b < 256; b++) {
            if (ReferenceFormat.E5M2.isNaN(b)) {
                int expected = ((b & 0x80) << 24) | 0x7FC0_0000 | ((b & 0x3) << 21);
                assertThat(Float.floatToRawIntBits(Fp8E5M2.toFloat((byte) b))).as("e5m2 0x%02X", b).isEqualTo(expected);
            }
        }
    }

    @Test
    void isTheTopByteOfTheHalfOfTheSameValue() {
        for (int b = 0; b < 256; b++) {
            float f = Fp8E5M2.toFloat((byte) b);
            assertThat(Float.floatToRawIntBits(f)).isEqualTo(Float.floatToRawIntBits(Fp16.toFloat((short) (b << 8))));
        }
    }

    @ParameterizedTest(name = "{0} -> 0x{1}")
    @CsvSource({
            "1.0, 3C",
            "-1.0, BC",
            "0.0, 00",
            "-0.0, 80",
            "57344, 7B",      // largest finite
            "61439.996, 7B",  // just below the midpoint between 57344 and 65536
            "61440, 7C",      // the midpoint: ties to even, which is infinity
            "65535, 7C",
            "65536, 7C",      // torch's explicit overflow threshold
            "-65536, FC",
            "Infinity, 7C",
            "-Infinity, FC",
            "NaN, 7F",
            "0x1p-16, 01",    // smallest subnormal
            "0x1p-17, 00",    // half of it: ties to even, zero
            "0x1.8p-16, 02",  // 1.5 ulps: ties to even
            "0x1.8p-15, 03",  // largest subnormal, 3 * 2^-16
            "0x1.cp-15, 04",  // halfway to the smallest normal: ties to even 0x04
            "0x1p-14, 04",    // smallest normal
            "1.125, 3C",      // tie between 1.0 and 1.25: even is 1.0
            "1.375, 3E",      // tie between 1.25 and 1.5: even is 1.5
            "3.0, 42",
    })
    void encodesGoldenValues(String value, String expected) {
        assertThat(Fp8E5M2.fromFloat(Float.parseFloat(value))).isEqualTo((byte) Integer.parseInt(expected, 16));
    }

    @Test
    void nanKeepsItsSign() {
        assertThat(Fp8E5M2.fromFloat(Float.intBitsToFloat(0xFFC0_0000))).isEqualTo((byte) 0xFF);
        assertThat(Fp8E5M2.fromFloat(Float.intBitsToFloat(0x7F80_0001))).isEqualTo((byte) 0x7F);
    }

    @Test
    void roundTripsEveryNonNanCode() {
        for (int b = 0; b < 256; b++) {
            byte expected = ReferenceFormat.E5M2.isNaN(b) ? (byte) ((b & 0x80) | 0x7F) : (byte) b;
            assertThat(Fp8E5M2.fromFloat(Fp8E5M2.toFloat((byte) b))).as("e5m2 0x%02X", b).isEqualTo(expected);
        }
    }

    @Test
    void roundsLikeTheReferenceModel() {
        RoundingSweep sweep = new RoundingSweep(ReferenceFormat.E5M2, Fp8E5M2::fromFloat)
                .midpoints()
                .stratified(1 << 22, 0xE5L)
                // Every float within one 2^16-pattern block of 57344, 61440 and 65536, both signs.
                .allWithHighBits(high -> Math.abs((high & 0x7FFF) - 0x4760) <= 1
                        || Math.abs((high & 0x7FFF) - 0x4770) <= 1 || Math.abs((high & 0x7FFF) - 0x4780) <= 1);
        assertThat(sweep.mismatches()).isEmpty();
    }

    @Test
    void roundsEveryHalfValueLikeRoundingTheHalfsBitsToTheirTopByte() {
        // e5m2 is binary16 without its low byte, so a value held exactly by a half rounds like its bit pattern.
        for (int h = 0; h < 0x10000; h++) {
            if (ReferenceFormat.F16.isNaN(h)) {
                continue;
            }
            // A carry out of the largest finite code lands on infinity, as IEEE overflow should.
            int expected = (h + 0x7F + ((h >>> 8) & 1)) >>> 8;
            assertThat(Fp8E5M2.fromFloat(Fp16.toFloat((short) h)) & 0xFF).as("f16 0x%04X", h)
                    .isEqualTo(expected & 0xFF);
        }
    }
}
