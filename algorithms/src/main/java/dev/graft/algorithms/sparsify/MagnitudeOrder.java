package dev.graft.algorithms.sparsify;

import java.util.Arrays;

/**
 * The positions of a row of floats in ascending order of magnitude, equal magnitudes by position: the order that
 * sorting the pairs (|x| bits, position) gives, which DELLA's MagPrune ranks by. A non-NaN float's magnitude bits
 * order as its magnitude, so the key is the raw bits without the sign (NaN patterns sort above infinity by their
 * bits, as they do in the pair sort).
 *
 * <p>Computed by a stable least-significant-digit radix sort over the 31 key bits in three 11-bit digits, starting
 * from the positions in order, so equal keys keep position order. It replaces a comparison sort of 64-bit pairs
 * that took most of a DELLA merge's time (two thirds of the samples of a profiled cold merge). A digit that every
 * element of the row shares (often the exponent's high bits) is skipped. Not thread-safe: one instance per mask.
 */
final class MagnitudeOrder {
    private static final int DIGIT_BITS = 11;
    private static final int BUCKETS = 1 << DIGIT_BITS;
    private static final int DIGITS = 3;

    private final int[] keys;
    private final int[] order;
    private final int[] swapKeys;
    private final int[] swapOrder;
    private final int[] counts = new int[BUCKETS];

    /** For rows of up to {@code maxRow} elements. */
    MagnitudeOrder(int maxRow) {
        keys = new int[maxRow];
        order = new int[maxRow];
        swapKeys = new int[maxRow];
        swapOrder = new int[maxRow];
    }

    /**
     * Orders {@code values[start .. start + length)}; returns an array whose first {@code length} entries are the
     * positions (relative to {@code start}) from the smallest magnitude to the largest. The array is reused by the
     * next call.
     */
    int[] ascending(float[] values, int start, int length) {
        int[] k = keys;
        int[] o = order;
        int[] k2 = swapKeys;
        int[] o2 = swapOrder;
        for (int j = 0; j < length; j++) {
            k[j] = Float.floatToRawIntBits(values[start + j]) & 0x7FFF_FFFF;
            o[j] = j;
        }
        for (int digit = 0; digit < DIGITS; digit++) {
            int shift = digit * DIGIT_BITS;
            Arrays.fill(counts, 0);
            for (int j = 0; j < length; j++) {
                counts[(k[j] >>> shift) & (BUCKETS - 1)]++;
            }
            if (counts[(k[0] >>> shift) & (BUCKETS - 1)] == length) {
                continue; // one bucket holds the whole row: this digit leaves the order as it is
            }
            int sum = 0;
            for (int b = 0; b < BUCKETS; b++) {
                int c = counts[b];
                counts[b] = sum;
                sum += c;
            }
            for (int j = 0; j < length; j++) {
                int key = k[j];
                int at = counts[(key >>> shift) & (BUCKETS - 1)]++;
                k2[at] = key;
                o2[at] = o[j];
            }
            int[] t = k; k = k2; k2 = t;
            t = o; o = o2; o2 = t;
        }
        return o;
    }
}
