package dev.graft.formats.dtype;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Bf16Test {

    @Test
    void decodesEveryPatternAsTheUpperHalfOfAFloat32() {
        for (int b = 0; b < 0x10000; b++) {
            int expected = b << 16;
            int actual = Float.floatToRawIntBits(Bf16.toFloat((short) b));
            if (actual != expected) {
                assertThat(Integer.toHexString(actual)).as("bf16 0x%04X", b).isEqualTo(Integer.toHexString(expected));
            }
        }
    }

    @Test
    void decodesEveryNonNanPatternToTheTextbookValue() {
        for (int b = 0; b < 0x10000; b++) {
            double expected = ReferenceFormat.BF16.value(b);
            if (!Double.isNaN(expected)) {
                assertThat((double) Bf16.toFloat((short) b)).as("bf16 0x%04X", b).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0x3F800000, 0x3F80", // 1.0
            "0x3F808000, 0x3F80", // 1.00390625: halfway, ties to the even 0x3F80
            "0x3F818000, 0x3F82", // 1.01171875: halfway, ties to the even 0x3F82
            "0x3F808001, 0x3F81", // just above halfway rounds up
            "0x3F817FFF, 0x3F81", // just below halfway rounds down
            "0x7F7FFFFF, 0x7F80", // Float.MAX_VALUE overflows to +Inf
            "0xFF7FFFFF, 0xFF80", // -Float.MAX_VALUE overflows to -Inf
            "0x7F7F7FFF, 0x7F7F", // largest float that stays finite
            "0x7F800000, 0x7F80", // +Inf
            "0xFF800000, 0xFF80", // -Inf
            "0x80000000, 0x8000", // -0.0
            "0x00000000, 0x0000", // +0.0
            "0x00000001, 0x0000", // smallest subnormal float rounds to zero
            "0x80000001, 0x8000", // and keeps its sign
            "0x00008000, 0x0000", // subnormal tie to even (zero)
            "0x00018000, 0x0002", // subnormal tie to even (up)
            "0x00010000, 0x0001", // smallest bf16 subnormal, exact
            "0x007FFFFF, 0x0080", // largest subnormal float rounds up to the smallest normal
            "0x40490FDB, 0x4049", // pi
            "0x7FC00000, 0x7FC0", // canonical NaN
            "0xFFC00000, 0x7FC0", // negative NaN loses its sign
            "0x7F800001, 0x7FC0", // signalling NaN with payload
            "0x7FFFFFFF, 0x7FC0", // NaN whose payload would carry if rounded
            "0xFFFFFFFF, 0x7FC0",
    })
    void encodesGoldenValues(String floatBits, String expected) {
        float f = Float.intBitsToFloat(Integer.parseUnsignedInt(floatBits.substring(2), 16));
        assertThat(Bf16.fromFloat(f)).isEqualTo((short) Integer.parseInt(expected.substring(2), 16));
    }

    @Test
    void roundTripsEveryNonNanPattern() {
        for (int b = 0; b < 0x10000; b++) {
            if (!ReferenceFormat.BF16.isNaN(b)) {
                assertThat(Bf16.fromFloat(Bf16.toFloat((short) b))).as("bf16 0x%04X", b).isEqualTo((short) b);
            }
        }
    }

    @Test
    void everyNanPatternReencodesAsTheCanonicalNan() {
        for (int b = 0; b < 0x10000; b++) {
            if (ReferenceFormat.BF16.isNaN(b)) {
                assertThat(Bf16.fromFloat(Bf16.toFloat((short) b))).isEqualTo(Bf16.CANONICAL_NAN);
            }
        }
    }

    @Test
    void roundsLikeTheReferenceModel() {
        RoundingSweep sweep = new RoundingSweep(ReferenceFormat.BF16, Bf16::fromFloat)
                .midpoints()
                .stratified(1 << 22, 0xBF16L)
                // Every float around 1.0 and around the overflow boundary, all low halves included.
                .allWithHighBits(high -> high == 0x3F80 || high == 0x3F81 || high == 0x7F7F || high == 0xFF7F
                        || high == 0x0000 || high == 0x8000 || high == 0x7F80 || high == 0xFFC0);
        assertThat(sweep.mismatches()).isEmpty();
        assertThat(sweep.checked()).isGreaterThan(1 << 22);
    }

    @Test
    void matchesTorchsFormulaOnRawBits() {
        // c10::detail::round_to_nearest_even, restated on unsigned 32-bit arithmetic with longs.
        for (long u = 0; u <= 0xFFFF_FFFFL; u += 0x1_0001L * 7 + 3) {
            float f = Float.intBitsToFloat((int) u);
            int expected = Float.isNaN(f) ? 0x7FC0 : (int) (((u + ((u >>> 16) & 1) + 0x7FFF) & 0xFFFF_FFFFL) >>> 16);
            assertThat(Bf16.fromFloat(f) & 0xFFFF).isEqualTo(expected);
        }
    }
}
