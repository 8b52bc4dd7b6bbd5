package dev.graft.formats.dtype;

import java.lang.foreign.MemorySegment;

/** {@link DType#F16}, through the JDK's half-precision intrinsics (see {@link Fp16}), which C2 vectorises. */
final class Fp16Codec implements FloatCodec {

    static final Fp16Codec INSTANCE = new Fp16Codec();

    private Fp16Codec() {
    }

    @Override
    public DType dtype() {
        return DType.F16;
    }

    @Override
    public void decode(MemorySegment src, long srcOffset, float[] dst, int dstIndex, int count) {
        CodecBounds.check(src, srcOffset, dst, dstIndex, count, 2);
        // Bits copied out a block at a time, as Bf16Codec does and for the same reason.
        short[] bits = ShortBlocks.get();
        for (int done = 0; done < count; done += bits.length) {
            int n = Math.min(bits.length, count - done);
            MemorySegment.copy(src, LittleEndian.SHORT, srcOffset + 2L * done, bits, 0, n);
            int at = dstIndex + done;
            if (Fp16.JDK_DECODE_QUIETS_NANS) {
                // The intrinsic alone is exactly Fp16.toFloat here, and this loop vectorises.
                for (int i = 0; i < n; i++) {
                    dst[at + i] = Float.float16ToFloat(bits[i]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    dst[at + i] = Fp16.toFloat(bits[i]);
                }
            }
        }
    }

    @Override
    public void encode(float[] src, int srcIndex, int count, MemorySegment dst, long dstOffset) {
        CodecBounds.check(dst, dstOffset, src, srcIndex, count, 2);
        for (int i = 0; i < count; i++) {
            dst.set(LittleEndian.SHORT, dstOffset + 2L * i, Fp16.fromFloat(src[srcIndex + i]));
        }
    }
}
