package dev.graft.algorithms.select;

import dev.graft.algorithms.simd.MagnitudeKeyLanes;
import dev.graft.algorithms.simd.Simd;

import java.util.Arrays;
import java.util.Objects;

/**
 * Finds, in streaming passes over the data, which magnitude sits at given ranks of the ascending {@code |x|}
 * order: an exact radix select on the {@linkplain MagnitudeKey magnitude keys}, with memory independent of the
 * element count.
 *
 * <p>Pass 1 counts the top 16 bits of every key ({@value MagnitudeKey#HIGH_BUCKETS} counters), which names the
 * bucket holding each wanted rank. Pass 2 counts the low 16 bits of the keys in those buckets only (65,536
 * counters per distinct bucket), which gives the exact key at each rank. When every key has zero low bits (data
 * that came from bfloat16, say) pass 1 already pins every key and pass 2 is skipped, so callers must ask
 * {@link #needsPass()} rather than assume two passes.
 *
 * <p>Use: while {@code needsPass()}, call {@link #accept} for every element exactly once, in any chunking, then
 * {@link #endPass()}. Each pass must see the same {@code n} values (the order within a pass does not matter to the
 * search). Counters are unsigned 32-bit, so at most {@value #MAX_ELEMENTS} elements are supported. Not thread-safe.
 */
public final class RadixRankSearch {

    /** The most elements one search can count: a single bucket may hold all of them in an unsigned int. */
    public static final long MAX_ELEMENTS = 0xFFFF_FFFFL;

    private static final int LOW_BUCKETS = 1 << 16;
    /** Elements whose counter indices the vector loops compute at once. */
    private static final int SCRATCH_BLOCK = 4096;

    private enum Phase { HIGH, LOW, DONE }

    private final long n;
    private final DeferredRanks deferred;
    /** Whether this search counts with the vector loops ({@link Simd#active()} when it was made). */
    private final boolean vectors = Simd.active();
    private long[] ranks;
    private RankBoundary[] found;
    private Phase phase;
    private long seen;

    // Pass 1 state. Two counters per bucket: counts[2b + 1] counts the keys whose low 16 bits are 0 (the bucket's
    // smallest key), counts[2b] the others. With bfloat16 weights most task-vector entries are such keys, so the
    // wanted rank usually falls among them and pass 1 alone pins it exactly. One array, one increment per element:
    // 20% faster than separate totals and zero-low counts. resolveHigh() turns them into high and zeroLow.
    private int[] counts;
    /** Per-block counter indices for the vector loops ({@link Simd}); see {@link #indices()}. */
    private int[] indices;
    private int[] high;
    private int[] zeroLow;
    private int lowBitsUnion;
    private boolean finite;

    // Pass 2 state: the distinct buckets to refine, their counts from pass 1 (to check the data did not change),
    // each rank's bucket slot and the number of elements in lower buckets.
    private int[] buckets;
    private long[] bucketTotals;
    private int[][] lows;
    private int[] slotOfRank;
    private long[] belowBucket;

    /**
     * Ranks chosen once pass 1 has counted the data, from how many elements have magnitude 0 (a share of the
     * nonzero elements, say, which no one knows before reading them).
     */
    @FunctionalInterface
    public interface DeferredRanks {
        /**
         * @param zeros how many of the {@code n} elements are ±0
         * @return the ascending-order ranks to locate, as for the constructor's {@code ranks}
         */
        long[] ranks(long zeros);
    }

    /**
     * Prepares a search for the given ranks over {@code n} elements.
     *
     * @param n     element count every pass must deliver, {@code 0 <= n <=} {@value #MAX_ELEMENTS}
     * @param ranks ascending-order ranks to locate, each in {@code [0, n)}, at most two; none means no pass is
     *              needed
     */
    public RadixRankSearch(long n, long... ranks) {
        checkSize(n);
        this.n = n;
        setRanks(ranks);
        this.deferred = null;
        if (ranks.length == 0) {
            phase = Phase.DONE;
        } else {
            phase = Phase.HIGH;
            counts = new int[2 * MagnitudeKey.HIGH_BUCKETS];
        }
    }

    /**
     * Prepares a search whose ranks {@code deferred} names at the end of pass 1 (which always runs, to count the
     * zeros); the passes are then those of a search made with these ranks. No ranks end the search there.
     */
    public RadixRankSearch(long n, DeferredRanks deferred) {
        checkSize(n);
        this.n = n;
        this.deferred = java.util.Objects.requireNonNull(deferred);
        this.ranks = new long[0];
        this.found = new RankBoundary[0];
        phase = Phase.HIGH;
        counts = new int[2 * MagnitudeKey.HIGH_BUCKETS];
    }

    private static void checkSize(long n) {
        if (n < 0 || n > MAX_ELEMENTS) {
            throw new IllegalArgumentException("element count " + n + " is outside [0, " + MAX_ELEMENTS + "]");
        }
    }

    private void setRanks(long[] wanted) {
        if (wanted.length > 2) {
            // Pass 2 is specialised for one or two buckets; no caller needs more.
            throw new IllegalArgumentException("at most two ranks, got " + wanted.length);
        }
        for (long r : wanted) {
            if (r < 0 || r >= n) {
                throw new IllegalArgumentException("rank " + r + " is outside [0, " + n + ")");
            }
        }
        this.ranks = wanted.clone();
        this.found = new RankBoundary[wanted.length];
    }

    /** Whether another pass over the data is needed before {@link #boundary(int)} can answer. */
    public boolean needsPass() {
        return phase != Phase.DONE;
    }

    /** Feeds {@code values[from, from + count)} to the current pass. */
    public void accept(float[] values, int from, int count) {
        Objects.checkFromIndexSize(from, count, values.length);
        switch (phase) {
            case HIGH -> countHigh(values, from, from + count);
            case LOW -> countLow(values, from, from + count);
            case DONE -> throw new IllegalStateException("no pass is pending");
        }
        seen += count;
    }

    /**
     * Feeds the differences {@code x[i] − base[i]}, {@code i} in {@code [offset, offset + count)}: the same as
     * {@link #accept} on them. Pass 1 with the Vector API computes their counter indices without writing them
     * down; otherwise they are computed into {@code scratch} (at least {@code count} long) first.
     */
    public void acceptDifference(float[] x, float[] base, int offset, int count, float[] scratch) {
        Objects.checkFromIndexSize(offset, count, x.length);
        Objects.checkFromIndexSize(offset, count, base.length);
        if (phase == Phase.HIGH && vectors) {
            lowBitsUnion |= countHighOfDifferenceInLanes(x, base, offset, count, counts, indices());
            seen += count;
            return;
        }
        for (int i = 0; i < count; i++) {
            scratch[i] = x[offset + i] - base[offset + i];
        }
        accept(scratch, 0, count);
    }

    /** Ends the current pass; throws if it did not see exactly {@code n} elements or the data changed. */
    public void endPass() {
        if (phase == Phase.DONE) {
            throw new IllegalStateException("no pass is pending");
        }
        if (seen != n) {
            throw new IllegalStateException("the pass saw " + seen + " elements, expected " + n);
        }
        seen = 0;
        if (phase == Phase.HIGH) {
            resolveHigh();
        } else {
            resolveLow();
        }
    }

    /** Where the {@code i}-th requested rank (in constructor order) falls; only once no pass is pending. */
    public RankBoundary boundary(int i) {
        if (phase != Phase.DONE) {
            throw new IllegalStateException("passes are still pending");
        }
        return found[i];
    }

    /**
     * Whether pass 1 found every value finite (no infinity, no NaN). False before pass 1 has ended, and for a
     * search with no rank to locate, which reads no data.
     */
    public boolean allFinite() {
        return finite;
    }

    /** Number of elements each pass must deliver. */
    public long size() {
        return n;
    }

    /** The vector loops' per-block index array, made on first use. */
    private int[] indices() {
        if (indices == null) {
            indices = new int[SCRATCH_BLOCK + MagnitudeKeyLanes.slack()];
        }
        return indices;
    }

    private void countHigh(float[] values, int from, int end) {
        if (vectors) {
            lowBitsUnion |= countHighInLanes(values, from, end, counts, indices());
        } else {
            lowBitsUnion |= countHigh(values, from, end, counts);
        }
    }

    /**
     * {@link #countHigh(float[], int, int, int[])} with the counter indices computed in vectors, block by block,
     * then the increments: about 0.5 against 0.95 ns per element inside {@code graft bench merge} (a TIES merge's
     * time fell by 23 ms per 4096² tensor and three models).
     */
    static int countHighInLanes(float[] values, int from, int end, int[] counts, int[] index) {
        int union = 0;
        for (int block = from; block < end; block += SCRATCH_BLOCK) {
            int len = Math.min(SCRATCH_BLOCK, end - block);
            union |= MagnitudeKeyLanes.counterIndices(values, block, len, index);
            increment(counts, index, len);
        }
        return union;
    }

    /** {@link #countHighInLanes} of the differences {@code x[i] − base[i]}, {@code i} in {@code [offset, +count)}. */
    private static int countHighOfDifferenceInLanes(float[] x, float[] base, int offset, int count, int[] counts,
                                                    int[] index) {
        int union = 0;
        for (int block = 0; block < count; block += SCRATCH_BLOCK) {
            int len = Math.min(SCRATCH_BLOCK, count - block);
            union |= MagnitudeKeyLanes.counterIndicesOfDifference(x, base, offset + block, len, index);
            increment(counts, index, len);
        }
        return union;
    }

    /** The bare scatter: one increment per index in {@code index[0, len)}. */
    private static void increment(int[] counts, int[] index, int len) {
        for (int i = 0; i < len; i++) {
            counts[index[i]]++;
        }
    }

    /**
     * Adds each of {@code values[from, end)} to its pass-1 counter: twice its key's top 16 bits, plus 1 when the
     * low 16 bits are 0. Returns the union of the keys' bits.
     *
     * <p>The scalar form, one loop. Computing the indices first in a loop over the floats' bits through a segment,
     * which C2 vectorises in a small benchmark (0.42 against 0.9 ns per element), ran at 1.9 ns per element inside
     * {@code graft bench merge}, where C2 left its segment accesses unvectorised (see MaskLoops); the Vector API
     * form ({@link #countHighInLanes}) does not depend on C2's choices.
     */
    static int countHigh(float[] values, int from, int end, int[] counts) {
        int union = 0;
        for (int i = from; i < end; i++) {
            int key = MagnitudeKey.of(values[i]);
            counts[(key >>> 15 & ~1) | KeyCompare.equal(key & 0xFFFF, 0)]++;
            union |= key;
        }
        return union;
    }

    private void countLow(float[] values, int from, int end) {
        // One loop per case, in separate methods so that each is compiled with its own profile.
        if (buckets.length == 1 && vectors) {
            countLowInLanes(values, from, end, buckets[0], lows[0], indices());
        } else if (buckets.length == 1) {
            countLowOneBucket(values, from, end, buckets[0], lows[0]);
        } else {
            countLowTwoBuckets(values, from, end, buckets[0], lows[0], buckets[1], lows[1]);
        }
    }

    /** The usual case: one rank, or two in one bucket. */
    static void countLowOneBucket(float[] values, int from, int end, int bucket, int[] low) {
        for (int i = from; i < end; i++) {
            int key = MagnitudeKey.of(values[i]);
            // Add 0 or 1 rather than branch: deltas of bf16 weights repeat few magnitudes, so the threshold's
            // bucket can hold a large, unpredictable share of the elements.
            low[key & 0xFFFF] += KeyCompare.equal(key >>> 16, bucket);
        }
    }

    /** {@link #countLowOneBucket} gathering the bucket's low bits in vectors first, then counting only those. */
    static void countLowInLanes(float[] values, int from, int end, int bucket, int[] low, int[] gathered) {
        for (int block = from; block < end; block += SCRATCH_BLOCK) {
            int m = MagnitudeKeyLanes.lowBitsInBucket(values, block, Math.min(SCRATCH_BLOCK, end - block), bucket,
                    gathered);
            increment(low, gathered, m);
        }
    }

    /** The two cuts of a rank range, in different buckets. */
    private static void countLowTwoBuckets(float[] values, int from, int end,
                                           int bucket0, int[] low0, int bucket1, int[] low1) {
        for (int i = from; i < end; i++) {
            int key = MagnitudeKey.of(values[i]);
            int b = key >>> 16;
            if (b == bucket0) {
                low0[key & 0xFFFF]++;
            } else if (b == bucket1) {
                low1[key & 0xFFFF]++;
            }
        }
    }

    private void resolveHigh() {
        high = new int[MagnitudeKey.HIGH_BUCKETS];
        zeroLow = new int[MagnitudeKey.HIGH_BUCKETS];
        for (int b = 0; b < high.length; b++) {
            zeroLow[b] = counts[2 * b + 1];
            high[b] = counts[2 * b] + zeroLow[b];
        }
        counts = null;
        // Infinities and NaNs are the keys of the last bucket, and only they are.
        finite = high[MagnitudeKey.INFINITY >>> 16] == 0;
        if (deferred != null) {
            // Key 0 (±0) is bucket 0's key with zero low bits.
            setRanks(deferred.ranks(Integer.toUnsignedLong(zeroLow[0])));
            if (ranks.length == 0) {
                finish();
                return;
            }
        }
        int[] bucketOfRank = new int[ranks.length];
        belowBucket = new long[ranks.length];
        for (int i = 0; i < ranks.length; i++) {
            long cum = 0;
            int b = 0;
            while (cum + Integer.toUnsignedLong(high[b]) <= ranks[i]) {
                cum += Integer.toUnsignedLong(high[b]);
                b++;
            }
            bucketOfRank[i] = b;
            belowBucket[i] = cum;
        }
        if ((lowBitsUnion & 0xFFFF) == 0) {
            // Every key is a multiple of 2^16, so each bucket holds one key and its count is that key's count.
            for (int i = 0; i < ranks.length; i++) {
                int b = bucketOfRank[i];
                found[i] = new RankBoundary(b << 16, belowBucket[i], Integer.toUnsignedLong(high[b]));
            }
            finish();
            return;
        }
        if (allInZeroLowGroups(bucketOfRank)) {
            return;
        }
        buckets = Arrays.stream(bucketOfRank).distinct().toArray();
        bucketTotals = new long[buckets.length];
        lows = new int[buckets.length][LOW_BUCKETS];
        slotOfRank = new int[ranks.length];
        for (int s = 0; s < buckets.length; s++) {
            bucketTotals[s] = Integer.toUnsignedLong(high[buckets[s]]);
        }
        for (int i = 0; i < ranks.length; i++) {
            slotOfRank[i] = indexOf(buckets, bucketOfRank[i]);
        }
        high = null;
        phase = Phase.LOW;
    }

    /**
     * When every wanted rank falls among its bucket's keys with zero low bits (the bucket's smallest key), that key
     * and its count are exact already: no second pass.
     */
    private boolean allInZeroLowGroups(int[] bucketOfRank) {
        for (int i = 0; i < ranks.length; i++) {
            if (ranks[i] - belowBucket[i] >= Integer.toUnsignedLong(zeroLow[bucketOfRank[i]])) {
                return false;
            }
        }
        for (int i = 0; i < ranks.length; i++) {
            int b = bucketOfRank[i];
            found[i] = new RankBoundary(b << 16, belowBucket[i], Integer.toUnsignedLong(zeroLow[b]));
        }
        finish();
        return true;
    }

    private void resolveLow() {
        for (int s = 0; s < buckets.length; s++) {
            long total = 0;
            for (int c : lows[s]) {
                total += Integer.toUnsignedLong(c);
            }
            if (total != bucketTotals[s]) {
                throw new IllegalStateException("the data changed between passes: bucket 0x"
                        + Integer.toHexString(buckets[s]) + " held " + bucketTotals[s] + " elements, now " + total);
            }
        }
        for (int i = 0; i < ranks.length; i++) {
            int[] low = lows[slotOfRank[i]];
            long cum = belowBucket[i];
            int l = 0;
            while (cum + Integer.toUnsignedLong(low[l]) <= ranks[i]) {
                cum += Integer.toUnsignedLong(low[l]);
                l++;
            }
            found[i] = new RankBoundary(buckets[slotOfRank[i]] << 16 | l, cum, Integer.toUnsignedLong(low[l]));
        }
        finish();
    }

    private void finish() {
        high = null;
        zeroLow = null;
        lows = null;
        phase = Phase.DONE;
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new AssertionError("bucket " + value + " not collected");
    }
}
