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
        Writer w = new Writer(count, bits);
        for (int j = 0; j < count; j++) {
            w.add(codes[j]);
        }
        return w.finish();
    }

    /** Appends codes one at a time into an array sized for a known count. */
    static final class Writer {
        private final byte[] out;
        private final int bits;
        private final int maskBits;
        private long acc;
        private int filled;
        private int at;

        Writer(long count, int bits) {
            check(bits);
            this.out = new byte[bytesFor(count, bits)];
            this.bits = bits;
            this.maskBits = (1 << bits) - 1;
        }

        void add(int code) {
            acc |= (long) (code & maskBits) << filled;
            filled += bits;
            while (filled >= 8) {
                out[at++] = (byte) acc;
                acc >>>= 8;
                filled -= 8;
            }
        }

        /** The packed stream (the last byte's unused high bits are zero). */
        byte[] finish() {
            if (filled > 0) {
                out[at] = (byte) acc;
            }
            return out;
        }
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
