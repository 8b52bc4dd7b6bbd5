package dev.graft.formats.gguf;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Q4_K super-blocks against values worked out by hand from ggml's {@code quantize_row_q4_K_ref} /
 * {@code make_qkx2_quants} / {@code dequantize_row_q4_K}, the byte layout read back element by element from an
 * independent statement of it (the writer and reader round trip is in {@link GgufRoundTripTest}).
 */
class GgufQ4KTest {
    private static byte[] q4k(float[] block) {
        byte[] out = new byte[BlockQ4_K.BYTES];
        BlockQ4_K.INSTANCE.quantize(block, 0, 1, out, 0);
        return out;
    }

    private static float[] back(byte[] block) {
        float[] out = new float[256];
        BlockQ4_K.INSTANCE.dequantize(MemorySegment.ofArray(block), 0, 1, out, 0);
        return out;
    }

    @Test
    void aZeroSuperBlockIsAllZeroBytes() {
        assertThat(q4k(new float[256])).containsOnly(0);
    }

    @Test
    void aConstantSuperBlockUsesTheTopQuantAndScale() {
        // Every sub-block is 32 ones: min is clipped to 0, max 1, k = 15 gives q = 15 at scale 1/15 with no error,
        // and no later k fits better (all quants equal: the determinant is 0). So every scale is 1/15, every min 0:
        // d = fp16((1/15)/63), dmin = 0, each 6-bit scale nearest_int(63/(1/15) · 1/15) = 63 and min 0, packed as
        // get_scale_min_k4 reads them: bytes 0-3 = 63 | (63 >> 4) << 6 = 0xFF, 4-7 = 0, 8-11 = 63 & 0xF = 0x0F.
        // The quants are nearest_int(1 / (d·63)) = 15: every quant byte 0xFF.
        float[] x = new float[256];
        Arrays.fill(x, 1f);
        byte[] b = q4k(x);
        short d = Float.floatToFloat16((1f / 15f) / 63f);
        assertThat(b[0]).isEqualTo((byte) d);
        assertThat(b[1]).isEqualTo((byte) (d >> 8));
        assertThat(b[2]).isZero();
        assertThat(b[3]).isZero();
        assertThat(Arrays.copyOfRange(b, 4, 16)).containsExactly(0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0x0F, 0x0F,
                0x0F, 0x0F);
        assertThat(Arrays.copyOfRange(b, 16, 144)).containsOnly(0xFF);
        float one = Float.float16ToFloat(d) * 63 * 15;
        assertThat(back(b)).containsOnly(one);
        assertThat(one).isCloseTo(1f, within(1e-3f));
    }

    @Test
    void dequantizationReadsGgmlsLayout() {
        // Random bytes read back by an independent statement of the layout: element e lies in pair p = e/64 of
        // sub-blocks, sub-block s = e/32; its quant is the low (even s) or high (odd s) nibble of qs[32p + e%32]; its
        // 6-bit scale and min are, for s < 4, scales[s] & 63 and scales[s+4] & 63, and for s >= 4 the low / high
        // nibble of scales[s+4] with the top two bits of scales[s-4] / scales[s] above them
        SplittableRandom rng = new SplittableRandom(5);
        byte[] b = new byte[BlockQ4_K.BYTES];
        for (int i = 4; i < b.length; i++) {
            b[i] = (byte) rng.nextInt(256);
        }
        b[0] = (byte) 0x66;
        b[1] = (byte) 0x2E; // d
        b[2] = (byte) 0x00;
        b[3] = (byte) 0x2C; // dmin = 0.0625
        float d = Float.float16ToFloat((short) 0x2E66);
        float dmin = Float.float16ToFloat((short) 0x2C00);
        float[] got = back(b);
        for (int e = 0; e < 256; e++) {
            int s = e / 32;
            int p = e / 64;
            int byteOfQ = b[16 + 32 * p + e % 32] & 0xFF;
            int q = s % 2 == 0 ? byteOfQ & 0xF : byteOfQ >> 4;
            int sc;
            int mn;
            if (s < 4) {
                sc = b[4 + s] & 63;
                mn = b[4 + s + 4] & 63;
            } else {
                sc = (b[4 + s + 4] & 0xF) | (((b[4 + s - 4] & 0xFF) >> 6) << 4);
                mn = ((b[4 + s + 4] & 0xFF) >> 4) | (((b[4 + s] & 0xFF) >> 6) << 4);
            }
            assertThat(got[e]).as("element %d", e).isEqualTo(d * sc * q - dmin * mn);
        }
    }

    @Test
    void gaussianSuperBlocksComeBackWithinTheirSteps() {
        SplittableRandom rng = new SplittableRandom(9);
        float[] x = new float[256];
        for (int rep = 0; rep < 200; rep++) {
            double scale = Math.pow(10, rng.nextInt(-4, 3));
            float amax = 0f;
            for (int j = 0; j < 256; j++) {
                x[j] = (float) (rng.nextGaussian() * scale);
                amax = Math.max(amax, Math.abs(x[j]));
            }
            float[] y = back(q4k(x));
            for (int j = 0; j < 256; j++) {
                // 16 levels over a sub-block's range (at most 2·amax): a step is at most amax/7.5; the 6-bit scales
                // and mins, and the fitted (not spanning) range, cost up to about one more step
                assertThat(Math.abs(y[j] - x[j])).as("rep %d element %d", rep, j).isLessThanOrEqualTo(amax / 3.75f);
            }
        }
    }

    @Test
    void nonFiniteValuesAreRefusedNamingTheElement() {
        float[] x = new float[256];
        x[17] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> q4k(x)).isInstanceOf(UnrepresentableBlockException.class)
                .hasMessage("element is Infinity; a quantized block cannot hold NaN or infinity")
                .satisfies(e -> assertThat(((UnrepresentableBlockException) e).element()).isEqualTo(17));
    }
}
