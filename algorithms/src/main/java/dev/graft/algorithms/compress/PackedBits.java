package dev.graft.algorithms.compress;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Bits packed eight per byte, least significant bit first: bit {@code i} is {@code (byte[i >> 3] >> (i & 7)) & 1}.
 * The layout every bit-coded part of a delta uses (signs, bitmaps).
 */
final class PackedBits {
    private PackedBits() {
    }

    /** Bytes that hold {@code bits} bits. */
    static int bytesFor(long bits) {
        return Math.toIntExact((bits + 7) >>> 3);
    }

    /**
     * Packs the signs of {@code v[0..count)} as bits {@code firstBit…}: 1 for {@code v >= 0} (zeros, either sign,
     * count as positive, as in BitDelta's code), 0 for negatives and NaN.
     *
     * @param firstBit a multiple of 8
     */
    static void packSigns(float[] v, int count, byte[] dst, long firstBit) {
        if ((firstBit & 7) != 0) {
            throw new IllegalArgumentException("firstBit " + firstBit + " is not byte-aligned");
        }
        int at = (int) (firstBit >>> 3);
        int whole = count & ~7;
        for (int i = 0; i < whole; i += 8, at++) {
            int b = 0;
            for (int k = 0; k < 8; k++) {
                b |= (v[i + k] >= 0 ? 1 : 0) << k;
            }
            dst[at] = (byte) b;
        }
        if (whole < count) {
            int b = 0;
            for (int k = 0; whole + k < count; k++) {
                b |= (v[whole + k] >= 0 ? 1 : 0) << k;
            }
            dst[at] = (byte) b;
        }
    }

    /** Bit {@code i} of a packed byte region. */
    static boolean get(MemorySegment bits, long i) {
        return (bits.get(ValueLayout.JAVA_BYTE, i >>> 3) >> (int) (i & 7) & 1) != 0;
    }

    /** Bit {@code i} of a packed byte array. */
    static boolean get(byte[] bits, long i) {
        return (bits[(int) (i >>> 3)] >> (int) (i & 7) & 1) != 0;
    }

    /** Appends bits one at a time into a growing array. */
    static final class Writer {
        private byte[] bytes;
        private long count;

        Writer(long expectedBits) {
            bytes = new byte[Math.max(16, bytesFor(expectedBits))];
        }

        void add(boolean bit) {
            int at = (int) (count >>> 3);
            if (at == bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(at + 1, (int) Math.min(Integer.MAX_VALUE - 8, at * 3L / 2)));
            }
            // No branch on the bit: signs are random, so a branch would mispredict half the time.
            bytes[at] |= (byte) ((bit ? 1 : 0) << (int) (count & 7));
            count++;
        }

        long count() {
            return count;
        }

        /** The bits written, in exactly {@link #bytesFor}{@code (count())} bytes. */
        byte[] toArray() {
            return Arrays.copyOf(bytes, bytesFor(count));
        }
    }
}
