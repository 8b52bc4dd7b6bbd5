package dev.graft.algorithms.sparsify;

import java.util.Arrays;

/**
 * Each position's rank in a row of floats, in ascending order of magnitude, equal magnitudes by position: the ranks
 * that sorting the pairs (|x| bits, position) gives, which DELLA's MagPrune keeps by. A non-NaN float's magnitude
 * bits order as its magnitude, so the key is the raw bits without the sign (NaN patterns rank above infinity by their
 * bits, as they do in the pair sort).
 *
 * <p>A stable least-significant-digit radix sort of the positions by the keys' top 15 bits (sign aside: the
 * exponent and 7 mantissa bits, what a bf16 value holds) in two 8-bit digits, then an insertion sort by the whole
 * key, which only moves an element among those with the same top bits: in a row of fine-tune deltas (differences
 * of bf16 values) nearly every key is such a bf16 value and nothing moves. Where more than {@value #SHIFT_BUDGET}
 * shifts per element would be needed (rows of full float32 values with few distinct top bits), the row is sorted
 * again by a radix sort of all 31 bits in three 11-bit digits. Digits every element of the row shares are skipped.
 * On rows of 576 to 1536 elements the 11-bit digits' 2,048 counters cost more than the row itself, which made the
 * three-digit sort alone 45 % of a DELLA merge's time (docs/benchmarks.md, "Tenth pass").
 *
 * <p>Not thread-safe: one instance per mask.
 */
final class MagnitudeRanks {
    /** Insertion-sort shifts per element allowed before the full radix sort takes over. */
    static final int SHIFT_BUDGET = 4;

    private static final int SHORT_BITS = 8;
    private static final int WIDE_BITS = 11;

    private final int[] keys;
    private final int[] order;
    private final int[] swapKeys;
    private final int[] swapOrder;
    private final int[] ranks;
    private final int[] counts = new int[1 << WIDE_BITS];
    private int[] sortedKeys;

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
        int[] o = order;
        for (int j = 0; j < length; j++) {
            k[j] = Float.floatToRawIntBits(values[start + j]) & 0x7FFF_FFFF;
            o[j] = j;
        }
        int[] sorted = radix(length, 16, SHORT_BITS, 2);
        if (!settleWithinTopBits(sorted, length)) {
            for (int j = 0; j < length; j++) {
                k[j] = Float.floatToRawIntBits(values[start + j]) & 0x7FFF_FFFF;
                o[j] = j;
            }
            sorted = radix(length, 0, WIDE_BITS, 3);
        }
        for (int r = 0; r < length; r++) {
            ranks[sorted[r]] = r;
        }
        return ranks;
    }

    /**
     * Insertion sort of {@code order[0, length)} by the keys in {@link #sortedKeys}: stable, so equal keys stay in
     * position order. False, leaving the arrays in any order, when it would take more than the shift budget.
     */
    private boolean settleWithinTopBits(int[] order, int length) {
        int[] k = sortedKeys;
        long budget = (long) SHIFT_BUDGET * length;
        for (int i = 1; i < length; i++) {
            int key = k[i];
            if (key >= k[i - 1]) {
                continue;
            }
            int position = order[i];
            int at = i;
            do {
                k[at] = k[at - 1];
                order[at] = order[at - 1];
                at--;
            } while (at > 0 && k[at - 1] > key);
            k[at] = key;
            order[at] = position;
            budget -= i - at;
            if (budget < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stable LSD radix sort of the positions in {@link #order} by {@code digits} digits of {@code bits} bits of the
     * keys in {@link #keys}, from bit {@code from} up; returns the sorted positions and leaves their keys, in the same
     * order, in {@link #sortedKeys}.
     */
    private int[] radix(int length, int from, int bits, int digits) {
        int[] k = keys;
        int[] o = order;
        int[] k2 = swapKeys;
        int[] o2 = swapOrder;
        int buckets = 1 << bits;
        int mask = buckets - 1;
        for (int digit = 0; digit < digits; digit++) {
            int shift = from + digit * bits;
            Arrays.fill(counts, 0, buckets, 0);
            for (int j = 0; j < length; j++) {
                counts[(k[j] >>> shift) & mask]++;
            }
            if (counts[(k[0] >>> shift) & mask] == length) {
                continue; // one bucket holds the whole row: this digit leaves the order as it is
            }
            int sum = 0;
            for (int b = 0; b < buckets; b++) {
                int c = counts[b];
                counts[b] = sum;
                sum += c;
            }
            for (int j = 0; j < length; j++) {
                int key = k[j];
                int at = counts[(key >>> shift) & mask]++;
                k2[at] = key;
                o2[at] = o[j];
            }
            int[] t = k; k = k2; k2 = t;
            t = o; o = o2; o2 = t;
        }
        sortedKeys = k;
        return o;
    }
}
