package dev.graft.formats.gguf;

import dev.graft.formats.dtype.Fp16;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** The float16 scale that opens every Q8_0 and Q4_0 block ({@code ggml_half d}), little-endian. */
final class BlockScale {
    private static final ValueLayout.OfShort LAYOUT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BlockScale() {
    }

    /**
     * Stores {@code fp16(d)} (round to nearest even, as {@code GGML_FP32_TO_FP16}) at {@code dst[out]}.
     *
     * @param src  the block's values, for the refusal
     * @param base where the block starts in {@code src}
     * @throws UnrepresentableBlockException when {@code d} rounds to float16 infinity
     */
    static void store(float d, byte[] dst, int out, float[] src, int base, int elements) {
        short h = Fp16.fromFloat(d);
        if (Float.isInfinite(Float.float16ToFloat(h))) {
            throw RoundingRules.scaleOverflow(src, base, elements, d);
        }
        dst[out] = (byte) h;
        dst[out + 1] = (byte) (h >> 8);
    }

    /** The scale at byte {@code at}, widened exactly ({@code GGML_FP16_TO_FP32}). */
    static float load(MemorySegment src, long at) {
        return Fp16.toFloat(src.get(LAYOUT, at));
    }
}
