package dev.graft.formats.dtype;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Checks a codec call's ranges before any element moves, so that a bad call fails with a clear
 * {@link IndexOutOfBoundsException} instead of after writing part of its output.
 */
final class CodecBounds {

    private CodecBounds() {
    }

    static void check(MemorySegment segment, long byteOffset, float[] array, int index, int count, int elementBytes) {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(array, "array");
        Objects.checkFromIndexSize(index, count, array.length);
        Objects.checkFromIndexSize(byteOffset, (long) count * elementBytes, segment.byteSize());
    }
}
