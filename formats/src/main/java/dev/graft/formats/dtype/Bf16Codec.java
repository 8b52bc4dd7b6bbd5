package dev.graft.formats.dtype;

import java.lang.foreign.MemorySegment;

/**
 * {@link DType#BF16}, the hot path of most merges: plain counted loops with the scalar conversion inlined, no
 * per-element calls through an interface and no allocation.
 *
 * <p>Decoding copies the bits out of the segment a block at a time and converts them from an array: an access per
 * element runs the segment's checks, which C2 folds away only while a call site has seen one or two kinds of segment.
 * A merge that reads mapped files, adapted tensors in native memory ({@code model+lora}) and heap buffers makes them
 * virtual calls, measured at several times the cost of the conversion itself.
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
        short[] bits = ShortBlocks.get();
        for (int done = 0; done < count; done += bits.length) {
            int n = Math.min(bits.length, count - done);
            MemorySegment.copy(src, LittleEndian.SHORT, srcOffset + 2L * done, bits, 0, n);
            int at = dstIndex + done;
            // Bf16.toFloat, inlined; an int induction variable keeps this a counted loop that C2 vectorises.
            for (int i = 0; i < n; i++) {
                dst[at + i] = Float.intBitsToFloat(bits[i] << 16);
            }
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
