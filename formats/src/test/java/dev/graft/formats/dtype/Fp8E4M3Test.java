package dev.graft.formats.dtype;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Fp8E4M3Test {

    @Test
    void decodesAllNumberCodesToTheTextbookValue() {
        for (int b = 0; b < 256; b++) {
            double expected = ReferenceFormat.E4M3FN.value(b);
            if (!Double.isNaN(expected)) {
                float actual = Fp8E4M3.toFloat((byte) b);
                assertThat((double) actual).as("e4m3 0x%02X", b).isEqualTo(expected);
                assertThat(Float.floatToRawIntBits(actual) >>> 31).isEqualTo(b >>> 7);
            }
        }
    }

    @Test
    void decodesTheTwoNanCodesAsTorchDoes() {
        // fp8e4m3fn_to_fp32_value forces the exponent to all ones and keeps the 111 mantissa: 0x7FF00000.
        assertThat(Float.floatToRawIntBits(Fp8E4M3.toFloat((byte) 0x7F))).isEqualTo(0x7FF0_0000);
        assertThat(Float.floatToRawIntBits(Fp8E4M3.toFloat((byte) 0xFF))).isEqualTo(0xFFF0_0000);
        int nans = 0;
        for (int b = 0; b < 256; b++) {
            nans += Float.isNaN(Fp8E4M3.toFloat((byte) b)) ? 1 : 0;
        }
        assertThat(nans).as("no infinities, exactly two NaN codes").isEqualTo(2);
    }

    @ParameterizedTest(name = "decode 0x{0} = {1}")
    @CsvSource({"00, 0.0", "80, -0.0", "38, 1.0", "B8, -1.0", "7E, 448", "FE, -448", "01, 0x1p-9", "07, 0x1.cp-7",
            "08, 0x1p-6", "40, 2.0", "3F, 1.875"})
    void decodesGoldenValues(String code, String value) {
        float actual = Fp8E4M3.toFloat((byte) Integer.parseInt(code, 16));
        assertThat(Float.floatToRawIntBits(actual)).isEqualTo(Float.floatToRawIntBits(Float.parseFloat(value)));
    }

    @ParameterizedTest(name = "{0} -> 0x{1}")
    @CsvSource({
            "1.0, 38",
            "-1.0, B8",
            "0.0, 00",
            "-0.0, 80",
            "448, 7E",
            "-448, FE",
            "464, 7E",        // midpoint between 448 and (unrepresentable) 480: ties to the even 448
            "-464, FE",
            "464.00003, 7F",  // any bit above the midpoint rounds past 448: NaN, as in torch
            "470, 7F",
            "479.99997, 7F",
            "480, 7F",        // torch's explicit overflow threshold
            "-480, FF",
            "1e30, 7F",
            "Infinity, 7F",   // no infinity in e4m3fn: torch writes NaN, keeping the sign
            "-Infinity, FF",
            "NaN, 7F",
            "0x1p-9, 01",     // smallest subnormal
            "0x1p-10, 00",    // half of it: ties to even, zero
            "-0x1p-10, 80",
            "0x1.8p-10, 01",  // 0.75 ulp
            "0x1.8p-9, 02",   // 1.5 ulps: ties to even
            "0x1.4p-8, 02",   // 2.5 ulps: ties to even
            "0x1.cp-7, 07",   // largest subnormal
            "0x1.ep-7, 08",   // halfway to the smallest normal: ties to even 0x08
            "0x1p-6, 08",     // smallest normal
            "1.0625, 38",     // tie between 1.0 and 1.125: even is 1.0
            "1.1875, 3A",     // tie between 1.125 and 1.25: even is 1.25
            "240, 77",
            "0.1, 1D",
    })
    void encodesGoldenValues(String value, String expected) {
        assertThat(Fp8E4M3.fromFloat(Float.parseFloat(value))).isEqualTo((byte) Integer.parseInt(expected, 16));
    }

    @Test
    void negativeNanKeepsItsSign() {
        assertThat(Fp8E4M3.fromFloat(Float.intBitsToFloat(0xFFC0_0000))).isEqualTo((byte) 0xFF);
        assertThat(Fp8E4M3.fromFloat(Float.intBitsToFloat(0x7F80_0001))).isEqualTo((byte) 0x7F);
    }

    @Test
    void roundTripsEveryCode() {
        // NaN codes included: 0x7F and 0xFF decode to NaNs of their sign, which encode back to themselves.
        for (int b = 0; b < 256; b++) {
            assertThat(Fp8E4M3.fromFloat(Fp8E4M3.toFloat((byte) b))).as("e4m3 0x%02X", b).isEqualTo((byte) b);
        }
    }

    @Test
    void roundsLikeTheReferenceModel() {
        RoundingSweep sweep = new RoundingSweep(ReferenceFormat.E4M3FN, Fp8E4M3::fromFloat)
                .midpoints()
                .stratified(1 << 22, 0xE4L)
                // Every float within one 2^16-pattern block of 448, 464 and 480, both signs.
                .allWithHighBits(high -> Math.abs((high & 0x7FFF) - 0x43E0) <= 1
                        || Math.abs((high & 0x7FFF) - 0x43E8) <= 1 || Math.abs((high & 0x7FFF) - 0x43F0) <= 1);
        assertThat(sweep.mismatches()).isEmpty();
    }

    @Test
    void matchesTorchsAlgorithmOnSampledBits() {
        for (long u = 0; u <= 0xFFFF_FFFFL; u += 4099) {
            float f = Float.intBitsToFloat((int) u);
            assertThat(Fp8E4M3.fromFloat(f)).isEqualTo(torch(f));
        }
    }

    /**
     * c10::detail::fp8e4m3fn_from_fp32_value, restated on unsigned longs with the constants spelled out, as a
     * second opinion that keeps the rounding bias and threshold constants honest.
     */
    private static byte torch(float f) {
        long bits = Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
        long sign = bits & 0x8000_0000L;
        bits ^= sign;
        long result;
        if (bits >= 1087L << 20) {
            result = 0x7F;
        } else if (bits < 121L << 23) {
            float sum = Float.intBitsToFloat((int) bits) + Float.intBitsToFloat(141 << 23);
            result = ((Float.floatToRawIntBits(sum) & 0xFFFF_FFFFL) - (141L << 23)) & 0xFF;
        } else {
            long mantOdd = (bits >>> 20) & 1;
            bits = (bits + ((7L - 127L) << 23) + 0x7FFFF + mantOdd) & 0xFFFF_FFFFL;
            result = (bits >>> 20) & 0xFF;
        }
        return (byte) (result | (sign >>> 24));
    }
}
