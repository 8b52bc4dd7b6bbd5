package dev.graft.algorithms.sparsify;

import java.util.Arrays;

/**
 * Each position's rank in a row of floats, in ascending order of magnitude, equal magnitudes by position: the ranks
 * that sorting the pairs (|x| bits, position) gives, which DELLA's MagPrune keeps by. A non-NaN float's magnitude
 * bits order as its magnitude, so the key is the raw bits without the sign (NaN patterns rank above infinity by their
 * bits, as they do in the pair sort).
 *
 * <p>Two ways to the same ranks:
 * <ul>
 *   <li><b>Counting</b>, when every key of the row has zero low 16 bits (a row of bf16 values, or of differences
 *   of bf16 values that one bf16 can hold, as fine-tune deltas mostly are) and its nonzero keys' top 16 bits span at
 *   most {@link #COUNTING_SPAN} values: one counter per value in that span plus one for ±0, a pass that counts, a
 *   prefix sum, and a pass in position order that hands each position the next rank of its counter. Equal keys
 *   get ascending ranks in position order.</li>
 *   <li>Otherwise a stable least-significant-digit radix sort over the 31 key bits in three 11-bit digits,
 *   starting from the positions in order (a digit that every element of the row shares is skipped), whose order
 *   is then inverted.</li>
 * </ul>
 * Both replace a comparison sort of 64-bit pairs that took most of a DELLA merge's time; counting takes about a
 * third of the radix sort's time on tied bf16 rows (docs/benchmarks.md, "Tenth pass"). Not thread-safe: one instance
 * per mask.
 */
final class MagnitudeRanks {
    /** The most distinct top-16-bit values the counting path takes, ±0 aside (2^12: 32 binades; beyond that, clearing and summing the counters costs more than the radix sort saves). */
    static final int COUNTING_SPAN = 1 << 12;

    private static final int DIGIT_BITS = 11;
    private static final int BUCKETS = 1 << DIGIT_BITS;
    private static final int DIGITS = 3;

    private final int[] keys;
    private final int[] order;
    private final int[] swapKeys;
    private final int[] swapOrder;
    private final int[] ranks;
    private final int[] counts = new int[Math.max(BUCKETS, COUNTING_SPAN + 1)];

    /** For rows of up to {@code maxRow} elements. */
    MagnitudeRanks(int maxRow) {
        keys = new int[maxRow];
        order = new int[maxRow];
        swapKeys = new int[maxRow];
        swapOrder = new int[maxRow];
        ranks = new int[maxRow];
    }

    /**
     * Ranks {@code values[start .. start + length)}: returns an array whose entry {@code j < length} is the rank
     * (0 for the smallest magnitude) of {@code values[start + j]}. The array is reused by the next call.
     */
    int[] ascending(float[] values, int start, int length) {
        int[] k = keys;
        int lowBits = 0;
        int least = Integer.MAX_VALUE;
        int most = 0;
        for (int j = 0; j < length; j++) {
            int key = Float.floatToRawIntBits(values[start + j]) & 0x7FFF_FFFF;
            k[j] = key;
            lowBits |= key;
            int high = key >>> 16;
            // ±0 (key 0) has a counter of its own, so it does not widen the span.
            least = Math.min(least, key == 0 ? Integer.MAX_VALUE : high);
            most = Math.max(most, high);
        }
        if ((lowBits & 0xFFFF) == 0 && (least == Integer.MAX_VALUE || most - least < COUNTING_SPAN)) {
            return counting(length, least == Integer.MAX_VALUE ? 0 : least, most);
        }
        int[] sorted = radixOrder(length);
        for (int r = 0; r < length; r++) {
            ranks[sorted[r]] = r;
        }
        return ranks;
    }

    /** Counter 0 is ±0's; counter {@code 1 + h − least} is the key whose top 16 bits are {@code h}. */
    private int[] counting(int length, int least, int most) {
        int[] k = keys;
        int[] c = counts;
        int span = most >= least ? most - least + 2 : 1;
        Arrays.fill(c, 0, span, 0);
        int offset = least - 1;
        for (int j = 0; j < length; j++) {
            int key = k[j];
            // Key 0 goes to counter 0; any other to 1 + (key >>> 16) − least.
            k[j] = key == 0 ? 0 : (key >>> 16) - offset;
            c[k[j]]++;
        }
        int sum = 0;
        for (int b = 0; b < span; b++) {
            int n = c[b];
            c[b] = sum;
            sum += n;
        }
        int[] r = ranks;
        for (int j = 0; j < length; j++) {
            r[j] = c[k[j]]++;
        }
        return r;
    }

    /** The positions in ascending key order, equal keys by position. */
    private int[] radixOrder(int length) {
        int[] k = keys;
        int[] o = order;
        int[] k2 = swapKeys;
        int[] o2 = swapOrder;
        for (int j = 0; j < length; j++) {
            o[j] = j;
        }
        for (int digit = 0; digit < DIGITS; digit++) {
            int shift = digit * DIGIT_BITS;
            Arrays.fill(counts, 0, BUCKETS, 0);
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
