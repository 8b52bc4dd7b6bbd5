package dev.graft.algorithms.compress;

import java.util.Arrays;

/**
 * The ascending indices of a sparse delta's kept elements, stored as whichever is smaller:
 * <ul>
 *   <li>{@code gaps}: for each kept index {@code i} after the previous {@code p} (starting from {@code p = -1}), the
 *   gap {@code i - p - 1} as an unsigned LEB128 varint (7 bits per byte, low groups first, high bit set on all but
 *   the last byte);</li>
 *   <li>{@code bitmap}: one bit per element, {@link PackedBits} order, set where kept.</li>
 * </ul>
 * Gaps win below roughly one kept element in eight; the bitmap above.
 */
final class SparsePositions {
    static final String GAPS = "gaps";
    static final String BITMAP = "bitmap";

    private SparsePositions() {
    }

    /**
     * Collects kept indices in ascending order as gaps; the bitmap is built from them at the end, only when it is
     * the smaller encoding.
     */
    static final class Encoder {
        private final long n;
        private byte[] gaps = new byte[1024];
        private int gapBytes;
        private long previous = -1;
        private long count;

        Encoder(long n) {
            this.n = n;
        }

        void add(long index) {
            if (index <= previous || index >= n) {
                throw new IllegalArgumentException("index " + index + " after " + previous + " of " + n);
            }
            if (gapBytes + 10 > gaps.length) {
                gaps = Arrays.copyOf(gaps, (int) Math.min(Integer.MAX_VALUE - 8, gaps.length * 2L));
            }
            long gap = index - previous - 1;
            while (gap >= 0x80) {
                gaps[gapBytes++] = (byte) (gap | 0x80);
                gap >>>= 7;
            }
            gaps[gapBytes++] = (byte) gap;
            previous = index;
            count++;
        }

        long count() {
            return count;
        }

        /** The smaller encoding's name. */
        String encoding() {
            return gapBytes < PackedBits.bytesFor(n) ? GAPS : BITMAP;
        }

        /** The smaller encoding's bytes. */
        byte[] bytes() {
            byte[] g = Arrays.copyOf(gaps, gapBytes);
            if (GAPS.equals(encoding())) {
                return g;
            }
            byte[] bitmap = new byte[PackedBits.bytesFor(n)];
            Reader r = new Reader(GAPS, g, n);
            for (long i = r.next(); i >= 0; i = r.next()) {
                bitmap[(int) (i >>> 3)] |= (byte) (1 << (int) (i & 7));
            }
            return bitmap;
        }
    }

    /** Reads kept indices back in ascending order. */
    static final class Reader {
        private final byte[] data;
        private final boolean bitmap;
        private final long n;
        private int at;
        private long previous = -1;

        /**
         * @param encoding {@link #GAPS} or {@link #BITMAP}
         * @param n        elements of the tensor
         */
        Reader(String encoding, byte[] data, long n) {
            if (!GAPS.equals(encoding) && !BITMAP.equals(encoding)) {
                throw new IllegalArgumentException("unknown position encoding \"" + encoding + "\"");
            }
            this.data = data;
            this.bitmap = BITMAP.equals(encoding);
            this.n = n;
        }

        /**
         * The next kept index, or {@code -1} when there is none.
         *
         * @throws IllegalArgumentException when the data is malformed (runs past the tensor, overlong varint)
         */
        long next() {
            return bitmap ? nextSet() : nextGap();
        }

        private long nextSet() {
            long i = previous + 1;
            while (i < n) {
                int b = data[(int) (i >>> 3)] & 0xFF;
                int rest = b >>> (int) (i & 7);
                if (rest != 0) {
                    i += Integer.numberOfTrailingZeros(rest);
                    if (i >= n) {
                        throw new IllegalArgumentException("bitmap marks element " + i + " of " + n);
                    }
                    previous = i;
                    return i;
                }
                i = (i | 7) + 1;
            }
            return -1;
        }

        private long nextGap() {
            if (at >= data.length) {
                return -1;
            }
            long gap = 0;
            int shift = 0;
            while (true) {
                if (at >= data.length || shift > 56) {
                    throw new IllegalArgumentException("truncated or overlong position varint at byte " + at);
                }
                int b = data[at++] & 0xFF;
                gap |= (long) (b & 0x7F) << shift;
                if (b < 0x80) {
                    break;
                }
                shift += 7;
            }
            long i = previous + 1 + gap;
            if (i >= n || i < 0) {
                throw new IllegalArgumentException("position " + i + " lies past the " + n + " elements");
            }
            previous = i;
            return i;
        }
    }
}
