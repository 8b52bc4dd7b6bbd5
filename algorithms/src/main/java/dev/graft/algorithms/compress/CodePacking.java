package dev.graft.algorithms.compress;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Unsigned integer codes of {@code b} bits (1 to 8) packed into one little-endian bit stream: code {@code j}
 * occupies bits {@code [j·b, j·b + b)}, least significant bit first, so 8-bit codes are plain bytes and 1-bit codes
 * are {@link PackedBits}.
 */
final class CodePacking {
    private CodePacking() {
    }

    /** Bytes that hold {@code count} codes of {@code bits} bits. */
    static int bytesFor(long count, int bits) {
        return PackedBits.bytesFor(count * bits);
    }

    /** Packs {@code codes[0..count)} (each in {@code [0, 2^bits)}) into a new array. */
    static byte[] pack(int[] codes, int count, int bits) {
        check(bits);
        byte[] out = new byte[bytesFor(count, bits)];
        long acc = 0;
        int filled = 0;
        int at = 0;
        for (int j = 0; j < count; j++) {
            acc |= (long) (codes[j] & ((1 << bits) - 1)) << filled;
            filled += bits;
            while (filled >= 8) {
                out[at++] = (byte) acc;
                acc >>>= 8;
                filled -= 8;
            }
        }
        if (filled > 0) {
            out[at] = (byte) acc;
        }
        return out;
    }

    /** Code {@code j} of a packed stream. */
    static int get(MemorySegment packed, long j, int bits) {
        long bit = j * bits;
        int at = (int) (bit >>> 3);
        int shift = (int) (bit & 7);
        int word = packed.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
        if (shift + bits > 8) {
            word |= (packed.get(ValueLayout.JAVA_BYTE, at + 1) & 0xFF) << 8;
        }
        return word >>> shift & ((1 << bits) - 1);
    }

    private static void check(int bits) {
        if (bits < 1 || bits > 8) {
            throw new IllegalArgumentException("code width must be 1 to 8 bits, not " + bits);
        }
    }
}
