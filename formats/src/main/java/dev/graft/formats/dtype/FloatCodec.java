package dev.graft.formats.dtype;

import java.lang.foreign.MemorySegment;

/**
 * Converts between a dtype's little-endian bytes and float32, exactly as torch's {@code .float()} and
 * {@code .to(dtype)} do (round-to-nearest-even for the narrow float types, truncation toward zero for integers).
 *
 * <p>Works on runs of elements so that callers stream tensors of any size through a small {@code float[]}
 * window. Offsets into segments are in bytes; counts are in elements.
 */
public interface FloatCodec {

    /** The dtype this codec converts. */
    DType dtype();

    /**
     * Widens {@code count} elements starting at byte {@code srcOffset} of {@code src} into {@code dst[dstIndex…]}.
     */
    void decode(MemorySegment src, long srcOffset, float[] dst, int dstIndex, int count);

    /**
     * Widens as {@link #decode} does and answers how many of the widened values are NaN or infinite: the check every
     * input gets, done while the data is at hand (the bf16 codec counts in the same pass) instead of in a second
     * pass over {@code dst}.
     */
    default int decodeCountingNonFinite(MemorySegment src, long srcOffset, float[] dst, int dstIndex, int count) {
        decode(src, srcOffset, dst, dstIndex, count);
        return NonFinite.count(dst, dstIndex, count);
    }

    /**
     * Narrows {@code src[srcIndex…srcIndex+count)} into {@code dst} starting at byte {@code dstOffset}.
     */
    void encode(float[] src, int srcIndex, int count, MemorySegment dst, long dstOffset);

    /**
     * The codec for a dtype.
     *
     * @throws UnsupportedOperationException for the raw-only dtypes ({@link DType#hasFloatCodec()} is false)
     */
    static FloatCodec of(DType dtype) {
        return FloatCodecs.of(dtype);
    }
}
