package dev.graft.formats.dtype;

import java.lang.foreign.MemorySegment;

/**
 * {@link DType#BF16}, the hot path of most merges: plain counted loops over the segment with the scalar conversion
 * inlined, no per-element calls through an interface and no allocation.
 */
final class Bf16Codec implements FloatCodec {

    static final Bf16Codec INSTANCE = new Bf16Codec();

    private Bf16Codec() {
    }

    @Override
    public DType dtype() {
        return DType.BF16;
    }

    @Override
    public void decode(MemorySegment src, long srcOffset, float[] dst, int dstIndex, int count) {
        CodecBounds.check(src, srcOffset, dst, dstIndex, count, 2);
        // Bf16.toFloat, inlined; an int induction variable keeps this a counted loop that C2 unrolls.
        for (int i = 0; i < count; i++) {
            dst[dstIndex + i] = Float.intBitsToFloat(src.get(LittleEndian.SHORT, srcOffset + 2L * i) << 16);
        }
    }

    @Override
    public void encode(float[] src, int srcIndex, int count, MemorySegment dst, long dstOffset) {
        CodecBounds.check(dst, dstOffset, src, srcIndex, count, 2);
        for (int i = 0; i < count; i++) {
            dst.set(LittleEndian.SHORT, dstOffset + 2L * i, Bf16.fromFloat(src[srcIndex + i]));
        }
    }
}
