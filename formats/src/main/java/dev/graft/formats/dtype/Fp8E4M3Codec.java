package dev.graft.formats.dtype;

import java.lang.foreign.MemorySegment;

/** {@link DType#F8_E4M3} (torch {@code float8_e4m3fn}), element by element through {@link Fp8E4M3}. */
final class Fp8E4M3Codec implements FloatCodec {

    static final Fp8E4M3Codec INSTANCE = new Fp8E4M3Codec();

    private Fp8E4M3Codec() {
    }

    @Override
    public DType dtype() {
        return DType.F8_E4M3;
    }

    @Override
    public void decode(MemorySegment src, long srcOffset, float[] dst, int dstIndex, int count) {
        CodecBounds.check(src, srcOffset, dst, dstIndex, count, 1);
        for (int i = 0; i < count; i++) {
            dst[dstIndex + i] = Fp8E4M3.toFloat(src.get(LittleEndian.BYTE, srcOffset + i));
        }
    }

    @Override
    public void encode(float[] src, int srcIndex, int count, MemorySegment dst, long dstOffset) {
        CodecBounds.check(dst, dstOffset, src, srcIndex, count, 1);
        for (int i = 0; i < count; i++) {
            dst.set(LittleEndian.BYTE, dstOffset + i, Fp8E4M3.fromFloat(src[srcIndex + i]));
        }
    }
}
