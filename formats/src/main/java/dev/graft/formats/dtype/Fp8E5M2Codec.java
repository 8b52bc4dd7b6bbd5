package dev.graft.formats.dtype;

import java.lang.foreign.MemorySegment;

/** {@link DType#F8_E5M2} (torch {@code float8_e5m2}), element by element through {@link Fp8E5M2}. */
final class Fp8E5M2Codec implements FloatCodec {

    static final Fp8E5M2Codec INSTANCE = new Fp8E5M2Codec();

    private Fp8E5M2Codec() {
    }

    @Override
    public DType dtype() {
        return DType.F8_E5M2;
    }

    @Override
    public void decode(MemorySegment src, long srcOffset, float[] dst, int dstIndex, int count) {
        CodecBounds.check(src, srcOffset, dst, dstIndex, count, 1);
        for (int i = 0; i < count; i++) {
            dst[dstIndex + i] = Fp8E5M2.toFloat(src.get(LittleEndian.BYTE, srcOffset + i));
        }
    }

    @Override
    public void encode(float[] src, int srcIndex, int count, MemorySegment dst, long dstOffset) {
        CodecBounds.check(dst, dstOffset, src, srcIndex, count, 1);
        for (int i = 0; i < count; i++) {
            dst.set(LittleEndian.BYTE, dstOffset + i, Fp8E5M2.fromFloat(src[srcIndex + i]));
        }
    }
}
