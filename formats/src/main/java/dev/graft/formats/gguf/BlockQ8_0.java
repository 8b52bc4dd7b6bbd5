package dev.graft.formats.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q8_0: blocks of 32 elements stored as a float16 scale {@code d} and 32 signed bytes {@code q}.
 *
 * <pre>
 *   amax = max |x_j|,  d = amax / 127,  q_j = roundf(x_j · (1/d))  (0 when d = 0),  stored d = fp16(d)
 *   x'_j = q_j · float(stored d)
 * </pre>
 *
 * as {@code quantize_row_q8_0_ref} / {@code dequantize_row_q8_0} in ggml's {@code ggml-quants.c}: the quants are
 * computed from the float32 {@code d}, not the rounded one, and {@code roundf} rounds halves away from zero.
 */
final class BlockQ8_0 implements BlockCodec {
    static final BlockQ8_0 INSTANCE = new BlockQ8_0();
    static final int ELEMENTS = 32;
    static final int BYTES = 34;

    private BlockQ8_0() {
    }

    @Override
    public GgufTensorType type() {
        return GgufTensorType.Q8_0;
    }

    @Override
    public void quantize(float[] src, int from, int blocks, byte[] dst, int dstOffset) {
        if (QuantizeSwitch.VECTOR) {
            QuantizeLanes.q8_0(src, from, blocks, dst, dstOffset);
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
            float probe = 0f;
            for (int j = 0; j < ELEMENTS; j++) {
                float a = Math.abs(src[base + j]);
                amax = amax > a ? amax : a; // C's MAX(amax, fabsf(v))
                probe += a * 0f; // stays 0 unless an element is NaN or infinite
            }
            if (probe != 0f) {
                throw RoundingRules.nonFinite(src, base, ELEMENTS);
            }
            float d = amax / 127f;
            float id = d != 0f ? 1f / d : 0f;
            BlockScale.store(d, dst, out, src, base, ELEMENTS);
            for (int j = 0; j < ELEMENTS; j++) {
                dst[out + 2 + j] = (byte) RoundingRules.roundf(src[base + j] * id);
            }
        }
    }

    @Override
    public void dequantize(MemorySegment src, long srcOffset, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++) {
            long in = srcOffset + (long) b * BYTES;
            float d = BlockScale.load(src, in);
            int base = to + b * ELEMENTS;
            for (int j = 0; j < ELEMENTS; j++) {
                dst[base + j] = src.get(ValueLayout.JAVA_BYTE, in + 2 + j) * d;
            }
        }
    }
}
