package dev.graft.algorithms.sparsify;

import java.util.Arrays;

/**
 * Each position's rank in a row of floats, in ascending order of magnitude, equal magnitudes by position: the ranks
 * that sorting the pairs (|x| bits, position) gives, which DELLA's MagPrune keeps by. A non-NaN float's magnitude
 * bits order as its magnitude, so the key is the raw bits without the sign (NaN patterns rank above infinity by their
 * bits, as they do in the pair sort).
 *
 * <p>A stable least-significant-digit radix sort of the positions by the keys' top 15 bits (sign aside: the
 * exponent and 7 mantissa bits, what a bf16 value holds) in two 8-bit digits (a digit every element of the row
 * shares is skipped), then, within each group of equal top bits, the keys with nonzero low 16 bits put in order
 * after those without (which are the group's least key, all equal): in a row of fine-tune deltas, differences of
 * bf16 values, nearly every key is a bf16 value and only the few whose two values lay far apart are sorted again.
 * It replaces a radix sort of all 31 bits in three 11-bit digits, whose 2,048 counters per digit cost more than a
 * row of 576 to 1,536 elements itself and took 45 % of a DELLA merge's time (docs/benchmarks.md, "Tenth pass").
 *
 * <p>Not thread-safe: one instance per mask.
 */
final class MagnitudeRanks {
    private static final int DIGIT_BITS = 8;
    private static final int BUCKETS = 1 << DIGIT_BITS;

    private final int[] keys;
    private final int[] order;
    private final int[] swapKeys;
    private final int[] swapOrder;
    private final int[] ranks;
    /** (key, position) pairs of one group's keys with low bits, as longs that sort in that order. */
    private final long[] pairs;
    private final int[] counts = new int[BUCKETS];

    /** For rows of up to {@code maxRow} elements. */
    MagnitudeRanks(int maxRow) {
        keys = new int[maxRow];
        order = new int[maxRow];
        swapKeys = new int[maxRow];
        swapOrder = new int[maxRow];
        ranks = new int[maxRow];
        pairs = new long[maxRow];
    }

    /**
     * Ranks {@code values[start .. start + length)}: returns an array whose entry {@code j < length} is the rank
     * (0 for the smallest magnitude) of {@code values[start + j]}. The array is reused by the next call.
     */
    int[] ascending(float[] values, int start, int length) {
        int[] k = keys;
        int[] o = order;
        int lowBits = 0;
        for (int j = 0; j < length; j++) {
            int key = Float.floatToRawIntBits(values[start + j]) & 0x7FFF_FFFF;
            k[j] = key;
            o[j] = j;
            lowBits |= key;
        }
        int[] k2 = swapKeys;
        int[] o2 = swapOrder;
        for (int shift = 16; shift < 32; shift += DIGIT_BITS) {
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
        if ((lowBits & 0xFFFF) != 0) {
            sortLowBitsWithinGroups(k, o, length);
        }
        for (int r = 0; r < length; r++) {
            ranks[o[r]] = r;
        }
        return ranks;
    }

    /**
     * In keys {@code k} and positions {@code o} sorted by the top bits, equal ones by position: each group of equal
     * top bits as its keys without low bits in position order, then the others by (key, position).
     */
    private void sortLowBitsWithinGroups(int[] k, int[] o, int length) {
        int group = 0;
        while (group < length) {
            int top = k[group] >>> 16;
            int end = group;
            int withLow = 0;
            while (end < length && k[end] >>> 16 == top) {
                withLow |= k[end] & 0xFFFF;
                end++;
            }
            if (withLow != 0) {
                int kept = group;
                int n = 0;
                for (int i = group; i < end; i++) {
                    if ((k[i] & 0xFFFF) == 0) {
                        k[kept] = k[i];
                        o[kept] = o[i];
                        kept++;
                    } else {
                        pairs[n++] = (long) k[i] << 32 | o[i];
                    }
                }
                Arrays.sort(pairs, 0, n);
                for (int i = 0; i < n; i++) {
                    k[kept + i] = (int) (pairs[i] >>> 32);
                    o[kept + i] = (int) pairs[i];
                }
            }
            group = end;
        }
    }
}
