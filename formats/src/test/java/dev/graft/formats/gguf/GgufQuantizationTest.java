package dev.graft.formats.gguf;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Q8_0 and Q4_0 blocks checked byte by byte against values worked out by hand from ggml's reference formulas
 * ({@code quantize_row_q8_0_ref}, {@code quantize_row_q4_0_ref} in {@code ggml-quants.c}).
 */
class GgufQuantizationTest {

    private static byte[] q8(float... block) {
        byte[] out = new byte[BlockQ8_0.BYTES];
        BlockQ8_0.INSTANCE.quantize(Arrays.copyOf(block, 32), 0, 1, out, 0);
        return out;
    }

    private static byte[] q4(float... block) {
        byte[] out = new byte[BlockQ4_0.BYTES];
        BlockQ4_0.INSTANCE.quantize(Arrays.copyOf(block, 32), 0, 1, out, 0);
        return out;
    }

    private static float[] back(BlockCodec codec, byte[] block) {
        float[] out = new float[32];
        codec.dequantize(MemorySegment.ofArray(block), 0, 1, out, 0);
        return out;
    }

    @Test
    void q8TiesRoundAwayFromZeroLikeRoundf() {
        // amax 127 makes d = 1 exactly (float16 0x3C00) and 1/d = 1, so the quants are roundf(x) itself.
        byte[] b = q8(127f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, -126.5f);
        assertThat(b[0]).isEqualTo((byte) 0x00);
        assertThat(b[1]).isEqualTo((byte) 0x3C);
        assertThat(Arrays.copyOfRange(b, 2, 11)).containsExactly(127, 1, -1, 2, -2, 3, -3, 0, -127);
        assertThat(Arrays.copyOfRange(b, 11, 34)).containsOnly(0);
        assertThat(back(BlockQ8_0.INSTANCE, b)).startsWith(127f, 1f, -1f, 2f, -2f, 3f, -3f, 0f, -127f);
    }

    @Test
    void q8AllZeroBlockHasZeroScaleAndQuants() {
        assertThat(q8(new float[32])).containsOnly(0);
        assertThat(q8(-0f, 0f)).containsOnly(0);
    }

    @Test
    void q8OneHugeValueFlushesTheRest() {
        // d = 1000/127 = 7.8740157; float16 rounds it to 7.875 (0x47E0). Quants use the unrounded 1/d = 0.127:
        // 1000 -> 127, and 1, 2, -3 -> 0.127, 0.254, -0.381 -> 0.
        byte[] b = q8(1000f, 1f, 2f, -3f, 3.9f);
        assertThat(b[0]).isEqualTo((byte) 0xE0);
        assertThat(b[1]).isEqualTo((byte) 0x47);
        assertThat(Arrays.copyOfRange(b, 2, 7)).containsExactly(127, 0, 0, 0, 0);
        assertThat(back(BlockQ8_0.INSTANCE, b)[0]).isEqualTo(127 * 7.875f);
    }

    @Test
    void q8ScaleUsesFloatDivisionBeforeFloat16Rounding() {
        // amax 1 -> d = 1/127 = 0.007874016 (float16 0x2008 = 0.0078735), quants 127 and roundf(0.3 * 127) = 38.
        byte[] b = q8(1f, 0.3f, -0.3f);
        assertThat(b[0]).isEqualTo((byte) 0x08);
        assertThat(b[1]).isEqualTo((byte) 0x20);
        assertThat(Arrays.copyOfRange(b, 2, 5)).containsExactly(127, 38, -38);
        float d = Float.float16ToFloat((short) 0x2008);
        assertThat(back(BlockQ8_0.INSTANCE, b)).startsWith(127 * d, 38 * d, -38 * d);
    }

    @Test
    void q4UsesTheSignedExtremeAndTruncatesAfterAddingEightAndAHalf() {
        // The extreme is -8, so d = -8 / -8 = 1 and 1/d = 1: q = min(15, trunc(x + 8.5)). Ties go up: 0.5 -> 9,
        // -0.5 -> 8, 1.5 -> 10, -1.5 -> 7; 7.5 -> 16 is clamped to 15.
        float[] x = new float[32];
        x[0] = -8f;
        x[1] = 0.5f;
        x[2] = -0.5f;
        x[3] = 1.5f;
        x[4] = -1.5f;
        x[5] = 7.5f;
        x[16] = 7f;
        x[17] = -7.9f;
        byte[] b = q4(x);
        assertThat(b[0]).isEqualTo((byte) 0x00);
        assertThat(b[1]).isEqualTo((byte) 0x3C);
        // byte j: element j in the low nibble, element j + 16 in the high nibble (an untouched 0 quantizes to 8)
        assertThat(b[2]).isEqualTo((byte) 0xF0);  // x0 = -8 -> 0, x16 = 7 -> 15
        assertThat(b[3]).isEqualTo((byte) 0x09);  // x1 = 0.5 -> 9, x17 = -7.9 -> trunc(0.6) = 0
        assertThat(b[4]).isEqualTo((byte) 0x88);  // x2 = -0.5 -> 8, x18 = 0 -> 8
        assertThat(b[5]).isEqualTo((byte) 0x8A);
        assertThat(b[6]).isEqualTo((byte) 0x87);
        assertThat(b[7]).isEqualTo((byte) 0x8F);
        float[] y = back(BlockQ4_0.INSTANCE, b);
        assertThat(y).startsWith(-8f, 1f, 0f, 2f, -1f, 7f);
        assertThat(y[16]).isEqualTo(7f);
        assertThat(y[17]).isEqualTo(-8f);
    }

    @Test
    void q4PositiveExtremeGivesNegativeScale() {
        // max = 8 -> d = -1 (float16 0xBC00): x = 8 -> trunc(-8 + 8.5) = 0, read back (0 - 8) * -1 = 8.
        byte[] b = q4(8f, -4f);
        assertThat(b[0]).isEqualTo((byte) 0x00);
        assertThat(b[1]).isEqualTo((byte) 0xBC);
        assertThat(b[2]).isEqualTo((byte) 0x80);  // 8 -> 0; x16 = 0 -> 8
        assertThat(b[3]).isEqualTo((byte) 0x8C);  // -4 -> trunc(12.5) = 12
        // (8 - 8) * -1 is -0: the untouched zeros read back negative, as ggml's do.
        assertThat(back(BlockQ4_0.INSTANCE, b)).startsWith(8f, -4f, -0f);
    }

    @Test
    void q4AllZeroBlockStoresEightEverywhere() {
        // d = 0 / -8 is -0, which float16 keeps: the scale bytes are 00 80.
        byte[] b = q4(new float[32]);
        assertThat(b[0]).isEqualTo((byte) 0x00);
        assertThat(b[1]).isEqualTo((byte) 0x80);
        assertThat(Arrays.copyOfRange(b, 2, 18)).containsOnly((byte) 0x88);
        assertThat(back(BlockQ4_0.INSTANCE, b)).containsOnly(-0f);
    }

    @Test
    void q4FirstOfEqualMagnitudesSetsTheSign() {
        // |-2| == |2|: the strict "amax < |v|" keeps the first, so d = -2 / -8 = 0.25 and 2 -> trunc(16.5) -> 15.
        byte[] b = q4(-2f, 2f);
        assertThat(b[0]).isEqualTo((byte) 0x00);
        assertThat(b[1]).isEqualTo((byte) 0x34);
        assertThat(b[2]).isEqualTo((byte) 0x80);
        assertThat(b[3]).isEqualTo((byte) 0x8F);
    }

    @Test
    void nonFiniteValuesAndOverflowingScalesAreRefused() {
        float[] nan = new float[32];
        nan[5] = Float.NaN;
        assertThatThrownBy(() -> q8(nan)).isInstanceOf(UnrepresentableBlockException.class)
                .hasMessage("element is NaN; a quantized block cannot hold NaN or infinity")
                .satisfies(e -> assertThat(((UnrepresentableBlockException) e).element()).isEqualTo(5));
        assertThatThrownBy(() -> q4(nan)).isInstanceOf(UnrepresentableBlockException.class);
        float[] inf = new float[32];
        inf[31] = Float.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> q8(inf)).hasMessage("element is -Infinity; a quantized block cannot hold NaN or infinity");
        // 1e7 / 127 = 78740 > 65504: float16 holds no such scale. 8e6 / 127 = 62992 still fits.
        assertThatThrownBy(() -> q8(1, 1e7f)).hasMessage("element is 1.0E7, so its block's scale 78740.16 exceeds "
                + "float16's largest value 65504");
        assertThat(q8(8e6f)[2]).isEqualTo((byte) 127);
        assertThatThrownBy(() -> q4(-6e5f)).isInstanceOf(UnrepresentableBlockException.class);
    }

    @Test
    void roundfMatchesC() {
        assertThat(RoundingRules.roundf(2.5f)).isEqualTo(3);
        assertThat(RoundingRules.roundf(-2.5f)).isEqualTo(-3);
        assertThat(RoundingRules.roundf(0.49999997f)).isZero();
        assertThat(RoundingRules.roundf(-0.49999997f)).isZero();
        assertThat(RoundingRules.roundf(1.4999999f)).isEqualTo(1);
        assertThat(RoundingRules.roundf(126.50001f)).isEqualTo(127);
        assertThat(RoundingRules.roundf(-127f)).isEqualTo(-127);
        // every float in [-128, 128] against an independent definition: floor(|x| + 1/2) in exact arithmetic
        for (int bits = 0; bits <= Float.floatToIntBits(128f); bits += 997) {
            float x = Float.intBitsToFloat(bits);
            int expected = new java.math.BigDecimal(x).abs().add(new java.math.BigDecimal("0.5"))
                    .setScale(0, java.math.RoundingMode.FLOOR).intValueExact();
            assertThat(RoundingRules.roundf(x)).as("%s", x).isEqualTo(expected);
            assertThat(RoundingRules.roundf(-x)).as("%s", -x).isEqualTo(-expected);
        }
    }
}
