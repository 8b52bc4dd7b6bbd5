package dev.graft.formats.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q4_0: blocks of 32 elements stored as a float16 scale {@code d} and 16 bytes of 4-bit quants, element
 * {@code j} in the low nibble of byte {@code j} and element {@code j + 16} in its high nibble.
 *
 * <pre>
 *   m = the x_j of largest |x_j| (the first one, on ties),  d = m / −8,
 *   q_j = min(15, trunc(x_j · (1/d) + 8.5))  (x_j · 0 when d = 0),  stored d = fp16(d)
 *   x'_j = (q_j − 8) · float(stored d)
 * </pre>
 *
 * as {@code quantize_row_q4_0_ref} / {@code dequantize_row_q4_0} in ggml's {@code ggml-quants.c}. The signed scale
 * maps the extreme element to exactly −8 (quant 0), which is why the range is asymmetric: 0 … 15 around 8.
 */
final class BlockQ4_0 implements BlockCodec {
    static final BlockQ4_0 INSTANCE = new BlockQ4_0();
    static final int ELEMENTS = 32;
    static final int BYTES = 18;
    private static final int HALF = ELEMENTS / 2;

    private BlockQ4_0() {
    }

    @Override
    public GgufTensorType type() {
        return GgufTensorType.Q4_0;
    }

    @Override
    public void quantize(float[] src, int from, int blocks, byte[] dst, int dstOffset) {
        if (QuantizeSwitch.VECTOR) {
            QuantizeLanes.q4_0(src, from, blocks, dst, dstOffset);
        } else {
            quantizeScalar(src, from, blocks, dst, dstOffset);
        }
    }

    /** The reference loop, element by element: what {@link QuantizeLanes} must equal, and its refusals. */
    static void quantizeScalar(float[] src, int from, int blocks, byte[] dst, int dstOffset) {
        for (int b = 0; b < blocks; b++) {
            int base = from + b * ELEMENTS;
            int out = dstOffset + b * BYTES;
            float amax = 0f;
            float max = 0f;
            for (int j = 0; j < ELEMENTS; j++) {
                float v = src[base + j];
                if (!Float.isFinite(v)) {
                    throw RoundingRules.nonFinite(src, base, ELEMENTS);
                }
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d != 0f ? 1f / d : 0f;
            BlockScale.store(d, dst, out, src, base, ELEMENTS);
            for (int j = 0; j < HALF; j++) {
                // C's (int8_t) conversion truncates toward zero, as Java's (int) cast does; the sums lie in
                // [0.5, 16.5], so no value reaches int8's limits.
                int q0 = Math.min(15, (int) (src[base + j] * id + 8.5f));
                int q1 = Math.min(15, (int) (src[base + HALF + j] * id + 8.5f));
                dst[out + 2 + j] = (byte) (q0 | (q1 << 4));
            }
        }
    }

    @Override
    public void dequantize(MemorySegment src, long srcOffset, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++) {
            long in = srcOffset + (long) b * BYTES;
            float d = BlockScale.load(src, in);
            int base = to + b * ELEMENTS;
            for (int j = 0; j < HALF; j++) {
                int q = src.get(ValueLayout.JAVA_BYTE, in + 2 + j) & 0xff;
                dst[base + j] = ((q & 0x0F) - 8) * d;
                dst[base + HALF + j] = ((q >>> 4) - 8) * d;
            }
        }
    }
}
