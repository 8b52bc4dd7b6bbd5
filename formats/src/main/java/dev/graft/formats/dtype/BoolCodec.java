package dev.graft.formats.dtype;

import java.lang.foreign.MemorySegment;

/**
 * {@link DType#BOOL}: any non-zero byte reads as 1, and any float other than ±0 writes 1, NaN included (C++'s
 * {@code bool(x)} is {@code x != 0}, which is true for NaN).
 */
final class BoolCodec implements FloatCodec {

    static final BoolCodec INSTANCE = new BoolCodec();

    private BoolCodec() {
    }

    @Override
    public DType dtype() {
        return DType.BOOL;
    }

    @Override
    public void decode(MemorySegment src, long srcOffset, float[] dst, int dstIndex, int count) {
        CodecBounds.check(src, srcOffset, dst, dstIndex, count, 1);
        for (int i = 0; i < count; i++) {
            dst[dstIndex + i] = src.get(LittleEndian.BYTE, srcOffset + i) != 0 ? 1f : 0f;
        }
    }

    @Override
    public void encode(float[] src, int srcIndex, int count, MemorySegment dst, long dstOffset) {
        CodecBounds.check(dst, dstOffset, src, srcIndex, count, 1);
        for (int i = 0; i < count; i++) {
            // NaN != 0 is true in Java as in C++.
            dst.set(LittleEndian.BYTE, dstOffset + i, src[srcIndex + i] != 0f ? (byte) 1 : (byte) 0);
        }
    }
}
