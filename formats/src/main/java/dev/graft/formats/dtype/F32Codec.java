package dev.graft.formats.dtype;

import java.lang.foreign.MemorySegment;

/** {@link DType#F32}: a bulk copy (a memcpy on little-endian hosts); bits, NaN payloads included, pass unchanged. */
final class F32Codec implements FloatCodec {

    static final F32Codec INSTANCE = new F32Codec();

    private F32Codec() {
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    @Override
    public void decode(MemorySegment src, long srcOffset, float[] dst, int dstIndex, int count) {
        CodecBounds.check(src, srcOffset, dst, dstIndex, count, 4);
        MemorySegment.copy(src, LittleEndian.FLOAT, srcOffset, dst, dstIndex, count);
    }

    @Override
    public void encode(float[] src, int srcIndex, int count, MemorySegment dst, long dstOffset) {
        CodecBounds.check(dst, dstOffset, src, srcIndex, count, 4);
        MemorySegment.copy(src, srcIndex, dst, LittleEndian.FLOAT, dstOffset, count);
    }
}
