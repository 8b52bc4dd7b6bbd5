package dev.graft.formats.dtype;

import java.lang.foreign.MemorySegment;

/** {@link DType#F64}: narrowed with Java's {@code (float)} cast (round to nearest even), widened exactly. */
final class F64Codec implements FloatCodec {

    static final F64Codec INSTANCE = new F64Codec();

    private F64Codec() {
    }

    @Override
    public DType dtype() {
        return DType.F64;
    }

    @Override
    public void decode(MemorySegment src, long srcOffset, float[] dst, int dstIndex, int count) {
        CodecBounds.check(src, srcOffset, dst, dstIndex, count, 8);
        for (int i = 0; i < count; i++) {
            dst[dstIndex + i] = (float) src.get(LittleEndian.DOUBLE, srcOffset + 8L * i);
        }
    }

    @Override
    public void encode(float[] src, int srcIndex, int count, MemorySegment dst, long dstOffset) {
        CodecBounds.check(dst, dstOffset, src, srcIndex, count, 8);
        for (int i = 0; i < count; i++) {
            dst.set(LittleEndian.DOUBLE, dstOffset + 8L * i, src[srcIndex + i]);
        }
    }
}
