package dev.graft.algorithms.sparsify;

import java.util.Arrays;

/**
 * Each position's rank in a row of floats, in ascending order of magnitude, equal magnitudes by position: the ranks
 * that sorting the pairs (|x| bits, position) gives, which DELLA's MagPrune keeps by. A non-NaN float's magnitude
 * bits order as its magnitude, so the key is the raw bits without the sign (NaN patterns rank above infinity by their
 * bits, as they do in the pair sort).
 *
 * <p>Keys are grouped by their top 15 bits (sign aside: the exponent and 7 mantissa bits, what a bf16 value holds);
 * within a group, the key with zero low 16 bits (a bf16 value) is the least. In a row of fine-tune deltas,
 * differences of bf16 values, nearly every key is such a bf16 value (97 % in the benchmark families) and only the
 * few whose two values lay far apart have low bits. Two ways to the same ranks:
 * <ul>
 *   <li><b>Counting</b>, when the row's nonzero keys span few top values (about 1,100 in the benchmark families'
 *   rows): one counter for ±0 and two per top value (its bf16 key, then its keys with low bits), a pass that
 *   counts, a prefix sum, and a pass in position order that hands each bf16 key the next rank of its counter; the
 *   keys with low bits are then sorted by (key, position) and take the ranks of their counters in that order.</li>
 *   <li>Otherwise a stable least-significant-digit radix sort of the positions by the top bits in two 8-bit digits
 *   (a digit every element of the row shares is skipped), each group's keys with low bits then sorted after its
 *   bf16 key.</li>
 * </ul>
 * Both replace a radix sort of all 31 bits in three 11-bit digits (2,048 counters to clear and sum per digit, for
 * rows of 576 to 5,632 elements), which took 45 % of a cold DELLA merge's samples: the ranks take 6.0–6.6 ns per
 * element of the benchmark families' delta rows, that sort 7.1–8.5 (docs/benchmarks.md, "Tenth pass").
 *
 * <p>Not thread-safe: one instance per mask.
 */
final class MagnitudeRanks {
    private static final int DIGIT_BITS = 8;
    private static final int BUCKETS = 1 << DIGIT_BITS;

    private final int[] keys;
    private final int maxRow;
    // The radix sort's arrays, made when a row first needs it.
    private int[] order;
    private int[] swapKeys;
    private int[] swapOrder;
    private final int[] ranks;
    /** (key, position) pairs of the keys with low bits, as longs that sort in that order; grown as needed. */
    private long[] pairs = new long[64];
    private final int[] counts = new int[BUCKETS];
    /** The counting path's counters: ±0's, then two per top value of the row's span. */
    private int[] spanCounts = new int[0];

    /** For rows of up to {@code maxRow} elements. */
    MagnitudeRanks(int maxRow) {
        this.maxRow = maxRow;
        keys = new int[maxRow];
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
            int top = key >>> 16;
            least = Math.min(least, key == 0 ? Integer.MAX_VALUE : top);
            most = Math.max(most, top);
        }
        if (least == Integer.MAX_VALUE) {
            least = most;
        }
        // Counting costs two counters per top value in the span to clear and sum; past about four per element,
        // the radix sort's two passes cost less.
        long counters = 2L * (most - least + 2);
        if (counters <= 4L * length + 2048) {
            return counting(length, least, (int) counters);
        }
        return radix(length, lowBits);
    }

    /** Counter of a key: 0 for ±0; for top value {@code t}, {@code 2(t − least + 1)}, plus 1 with low bits. */
    private static int counter(int key, int least) {
        return key == 0 ? 0 : ((key >>> 16) - least + 1) << 1 | (-(key & 0xFFFF) >>> 31);
    }

    private int[] counting(int length, int least, int counters) {
        if (spanCounts.length < counters) {
            spanCounts = new int[Math.max(counters, 2 * spanCounts.length)];
        }
        int[] c = spanCounts;
        int[] k = keys;
        Arrays.fill(c, 0, counters, 0);
        for (int j = 0; j < length; j++) {
            c[counter(k[j], least)]++;
        }
        int sum = 0;
        for (int b = 0; b < counters; b++) {
            int n = c[b];
            c[b] = sum;
            sum += n;
        }
        int[] r = ranks;
        int withLow = 0;
        for (int j = 0; j < length; j++) {
            int key = k[j];
            if ((key & 0xFFFF) == 0) {
                r[j] = c[counter(key, least)]++;
            } else {
                addPair(withLow++, (long) key << 32 | j);
            }
        }
        Arrays.sort(pairs, 0, withLow);
        for (int i = 0; i < withLow; i++) {
            long pair = pairs[i];
            r[(int) pair] = c[counter((int) (pair >>> 32), least)]++;
        }
        return r;
    }

    private void addPair(int at, long pair) {
        if (at == pairs.length) {
            pairs = Arrays.copyOf(pairs, 2 * pairs.length);
        }
        pairs[at] = pair;
    }

    private int[] radix(int length, int lowBits) {
        if (order == null) {
            order = new int[maxRow];
            swapKeys = new int[maxRow];
            swapOrder = new int[maxRow];
        }
        int[] k = keys;
        int[] o = order;
        for (int j = 0; j < length; j++) {
            o[j] = j;
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
                        addPair(n++, (long) k[i] << 32 | o[i]);
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
