package dev.graft.formats.gguf;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Q6_K super-blocks against values worked out by hand from ggml's {@code quantize_row_q6_K_ref} /
 * {@code make_qx_quants} / {@code dequantize_row_q6_K}, the byte layout read back element by element from an
 * independent statement of it (the writer and reader round trip is in {@link GgufRoundTripTest}).
 */
class GgufQ6KTest {
    private static byte[] q6(float[] block) {
        byte[] out = new byte[BlockQ6_K.BYTES];
        BlockQ6_K.INSTANCE.quantize(block, 0, 1, out, 0);
        return out;
    }

    private static float[] back(byte[] block) {
        float[] out = new float[256];
        BlockQ6_K.INSTANCE.dequantize(MemorySegment.ofArray(block), 0, 1, out, 0);
        return out;
    }

    @Test
    void nearestIntRoundsHalvesToEvenLikeGgml() {
        assertThat(BlockQ6_K.nearestInt(0.5f)).isZero();
        assertThat(BlockQ6_K.nearestInt(1.5f)).isEqualTo(2);
        assertThat(BlockQ6_K.nearestInt(2.5f)).isEqualTo(2);
        assertThat(BlockQ6_K.nearestInt(-1.5f)).isEqualTo(-2);
        assertThat(BlockQ6_K.nearestInt(-2.5f)).isEqualTo(-2);
        assertThat(BlockQ6_K.nearestInt(3.4999998f)).isEqualTo(3);
        assertThat(BlockQ6_K.nearestInt(-31.1f)).isEqualTo(-31);
        assertThat(BlockQ6_K.nearestInt(4194303f)).isEqualTo(4194303);
        assertThat(BlockQ6_K.nearestInt(-4194303f)).isEqualTo(-4194303);
    }

    @Test
    void aZeroSuperBlockIsAllZeroBytes() {
        assertThat(q6(new float[256])).containsOnly(0);
        // below GROUP_MAX_EPS (1e-15) every sub-block scale is 0, and so is the block
        float[] tiny = new float[256];
        Arrays.fill(tiny, 1e-16f);
        assertThat(q6(tiny)).containsOnly(0);
    }

    @Test
    void constantSubBlocksGiveScalesOfTheirValue() {
        // Sub-block s holds 16 copies of c = s + 1. make_qx_quants: max = c, k = -32/c, every l = -32, scale =
        // Σ c²·c·(-32) / Σ c²·1024 = -c/32 (exact), best = 16c⁴; no k = -(32 + 0.1i)/c does strictly better (i = -9
        // ties at 246016c⁶). The largest |scale| is s = 15's, -0.5: iscale = -128/-0.5 = 256, d = 1/256 (float16
        // 0x1C00), scale_s = nearest_int(256 · -(s+1)/32) = -8(s+1), d_s = -(s+1)/32, q = nearest_int(c / d_s) + 32
        // = 0 everywhere. Back: (1/256)·(-8(s+1))·(0 - 32) = s + 1.
        float[] x = new float[256];
        for (int s = 0; s < 16; s++) {
            Arrays.fill(x, 16 * s, 16 * s + 16, s + 1);
        }
        byte[] b = q6(x);
        assertThat(Arrays.copyOfRange(b, 0, 192)).containsOnly(0);
        for (int s = 0; s < 16; s++) {
            assertThat(b[192 + s]).as("scale %d", s).isEqualTo((byte) (-8 * (s + 1)));
        }
        assertThat(b[208]).isEqualTo((byte) 0x00);
        assertThat(b[209]).isEqualTo((byte) 0x1C);
        assertThat(back(b)).containsExactly(x);
    }

    @Test
    void dequantizationReadsGgmlsInterleavedLayout() {
        // Random bytes read back by an independent statement of the layout: element e lies in half h = e/128,
        // r = e%128 in group g = r/32 at l = r%32; its low nibble is byte ql[64h + l + 32(g%2)] (low half for g < 2,
        // high for g >= 2), its high bits (qh[32h + l] >> 2g) & 3, its scale scales[8h + 2g + l/16]
        SplittableRandom rng = new SplittableRandom(7);
        byte[] b = new byte[BlockQ6_K.BYTES];
        for (int i = 0; i < 208; i++) {
            b[i] = (byte) rng.nextInt(256);
        }
        b[208] = (byte) 0x66; // d = float16 0x2E66 ≈ 0.0998
        b[209] = (byte) 0x2E;
        float d = Float.float16ToFloat((short) 0x2E66);
        float[] got = back(b);
        for (int e = 0; e < 256; e++) {
            int h = e / 128;
            int r = e % 128;
            int g = r / 32;
            int l = r % 32;
            int low = b[64 * h + l + 32 * (g % 2)] & 0xFF;
            int nibble = g < 2 ? low & 0xF : low >> 4;
            int high = ((b[128 + 32 * h + l] & 0xFF) >> (2 * g)) & 3;
            int scale = b[192 + 8 * h + 2 * g + l / 16];
            assertThat(got[e]).as("element %d", e).isEqualTo(d * scale * ((nibble | high << 4) - 32));
        }
    }

    @Test
    void gaussianSuperBlocksComeBackWithinTheirSteps() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[256];
        for (int rep = 0; rep < 200; rep++) {
            for (int j = 0; j < 256; j++) {
                x[j] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-4, 3)));
            }
            byte[] b = q6(x);
            float[] y = back(b);
            float d = Float.float16ToFloat((short) ((b[208] & 0xFF) | (b[209] << 8)));
            for (int s = 0; s < 16; s++) {
                // one step of sub-block s is |d · scale_s|: rounding costs half a step, the clamp to [-32, 31] one
                // more at the far end, and scale_s rounded to a whole multiple of d up to d/2 on each of up to 32
                // steps
                float step = Math.abs(d * b[192 + s]);
                for (int i = 0; i < 16; i++) {
                    int e = 16 * s + i;
                    assertThat(Math.abs(y[e] - x[e])).as("rep %d element %d", rep, e)
                            .isLessThanOrEqualTo(1.5f * step + 16 * Math.abs(d));
                }
            }
        }
    }

    @Test
    void nonFiniteValuesAreRefusedNamingTheElement() {
        float[] x = new float[256];
        x[200] = Float.NaN;
        assertThatThrownBy(() -> q6(x)).isInstanceOf(UnrepresentableBlockException.class)
                .hasMessage("element is NaN; a quantized block cannot hold NaN or infinity")
                .satisfies(e -> assertThat(((UnrepresentableBlockException) e).element()).isEqualTo(200));
    }
}
