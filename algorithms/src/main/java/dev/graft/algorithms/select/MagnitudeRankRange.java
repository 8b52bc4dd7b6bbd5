package dev.graft.algorithms.select;

import java.util.Arrays;
import java.util.Objects;

/**
 * Keeps the elements whose rank in the ascending magnitude order lies in {@code [from, to)}: drops the
 * {@code from} smallest and the {@code n - to} largest magnitudes (mergekit's {@code magnitude_outliers}, used by
 * Model Breadcrumbs, keeps {@code sort(|x|).indices[n_bot : N - n_top]}).
 *
 * <p>Order: ascending {@linkplain MagnitudeKey magnitude} ({@code -0 == +0}, infinities above every finite value,
 * NaN above infinity), ties broken by element index, lower first — a stable ascending sort, like NumPy's
 * {@code argsort(kind="stable")}. Among tied elements the lower index has the lower rank, so:
 * <ul>
 *   <li>at the bottom boundary, of the elements tied at the {@code from}-th smallest magnitude, the
 *       <em>lowest-index</em> ones are dropped;</li>
 *   <li>at the top boundary, of the elements tied at the {@code to}-th smallest magnitude, the
 *       <em>highest-index</em> ones are dropped.</li>
 * </ul>
 * Note the top boundary therefore differs from {@link MagnitudeTopK}, which keeps the lowest-index ties: keeping
 * ranks {@code [n - k, n)} here and keeping the top {@code k} there pick different tied elements.
 *
 * <p>Needs at most two passes and, in pass 2, one 256 KiB counter array per distinct bucket (at most two).
 */
public final class MagnitudeRankRange implements MagnitudeSelector {

    private final long n;
    private final long from;
    private final long to;
    private final RadixRankSearch search;
    private final int lowSlot;
    private final int highSlot;

    private MagnitudeRankRange(long n, long from, long to) {
        this.n = n;
        this.from = from;
        this.to = to;
        // Only boundaries strictly inside (0, n) need a search; rank 0 and rank n cut between no elements.
        long[] wanted = new long[2];
        int count = 0;
        int low = -1;
        int high = -1;
        if (from < to) {
            if (from > 0) {
                low = count;
                wanted[count++] = from;
            }
            if (to < n) {
                high = count;
                wanted[count++] = to;
            }
        }
        this.lowSlot = low;
        this.highSlot = high;
        this.search = new RadixRankSearch(n, Arrays.copyOf(wanted, count));
    }

    /**
     * A selector keeping ascending ranks {@code [from, to)} of {@code n} elements; {@code from >= to} keeps nothing.
     *
     * @param n    element count, {@code 0 <= n <=} {@value RadixRankSearch#MAX_ELEMENTS}
     * @param from first kept rank, {@code 0 <= from <= n}
     * @param to   end of the kept ranks (exclusive), {@code 0 <= to <= n}
     */
    public static MagnitudeRankRange of(long n, long from, long to) {
        if (from < 0 || from > n || to < 0 || to > n) {
            throw new IllegalArgumentException("rank range [" + from + ", " + to + ") is outside [0, " + n + "]");
        }
        return new MagnitudeRankRange(n, from, to);
    }

    /**
     * A selector that drops the {@code smallest} smallest and the {@code largest} largest magnitudes of {@code n}
     * elements (mergekit's {@code n_bot} and {@code n_top}); drops everything when they add up to {@code n} or more.
     */
    public static MagnitudeRankRange dropping(long n, long smallest, long largest) {
        if (n < 0 || smallest < 0 || largest < 0) {
            throw new IllegalArgumentException("negative count: n " + n + ", smallest " + smallest
                    + ", largest " + largest);
        }
        long keptFrom = Math.min(smallest, n);
        return of(n, keptFrom, Math.max(keptFrom, n - Math.min(largest, n)));
    }

    @Override
    public boolean needsPass() {
        return search.needsPass();
    }

    @Override
    public void accept(float[] values, int from, int count) {
        search.accept(values, from, count);
    }

    @Override
    public void endPass() {
        search.endPass();
    }

    @Override
    public KeepMask mask() {
        if (from >= to) {
            // Low cut at "everything before", high cut at "nothing before": no element is between them.
            return new RangeMask(Integer.MAX_VALUE, 0, 0, 0, false, false);
        }
        // A cut (key, quota) puts before it every key below `key` and the first `quota` keys equal to it.
        // Rank 0 is cut (0, 0): nothing before. Rank n is cut (MAX_VALUE, 0): everything before.
        int lowKey = 0;
        long lowQuota = 0;
        long tied = 0;
        if (lowSlot >= 0) {
            RankBoundary b = search.boundary(lowSlot);
            lowKey = b.key();
            lowQuota = b.tiesBefore(from);
            tied += b.tied();
        }
        int highKey = Integer.MAX_VALUE;
        long highQuota = 0;
        if (highSlot >= 0) {
            RankBoundary b = search.boundary(highSlot);
            highKey = b.key();
            highQuota = b.tiesBefore(to);
            tied += b.tied();
        }
        return new RangeMask(lowKey, lowQuota, highKey, highQuota, KeyCompare.denseTies(tied, n),
                search.allFinite());
    }

    /** Element count the selector was made for. */
    public long size() {
        return n;
    }

    /** How many elements are kept, {@code max(0, to - from)}. */
    public long kept() {
        return Math.max(0, to - from);
    }

    /** Keeps elements at or after the low cut and before the high cut, counting ties at each cut in index order. */
    private static final class RangeMask implements KeepMask {
        private final int lowKey;
        private final long lowQuota;
        private final int highKey;
        private final long highQuota;
        private final boolean denseTies;
        private final boolean finite;
        private long lowTies;
        private long highTies;

        /** @param finite whether every value the mask will see is finite, so that the float loops apply */
        RangeMask(int lowKey, long lowQuota, int highKey, long highQuota, boolean denseTies, boolean finite) {
            this.finite = finite;
            this.lowKey = lowKey;
            this.lowQuota = lowQuota;
            this.highKey = highKey;
            this.highQuota = highQuota;
            this.denseTies = denseTies;
        }

        @Override
        public boolean keep(float x) {
            int key = MagnitudeKey.of(x);
            if (key == lowKey | key == highKey) {
                return keepTie(key);
            }
            return (KeyCompare.above(key, lowKey) & KeyCompare.below(key, highKey)) != 0;
        }

        @Override
        public void fill(float[] values, int from, int count, boolean[] keep, int keepFrom) {
            Objects.checkFromIndexSize(from, count, values.length);
            Objects.checkFromIndexSize(keepFrom, count, keep.length);
            if (denseTies && (lowTies >= lowQuota || count <= lowQuota - lowTies)
                    && (highTies >= highQuota || count <= highQuota - highTies)) {
                fillSettled(values, from, count, keep, keepFrom);
            } else {
                fillBranching(values, from, count, keep, keepFrom);
            }
        }

        @Override
        public void zero(float[] values, int from, int count) {
            Objects.checkFromIndexSize(from, count, values.length);
            // As the top-k mask: when every tie at each cut gets the same answer in this chunk, one branch-free
            // loop decides and counts (on the values for finite data, else on their bits; see MaskLoops).
            if (MaskLoops.tiesSettled(lowTies, lowQuota, values, from, count, lowKey, finite)
                    && MaskLoops.tiesSettled(highTies, highQuota, values, from, count, highKey, finite)) {
                zeroSettled(values, from, count);
            } else {
                for (int i = from; i < from + count; i++) {
                    if (!keep(values[i])) {
                        values[i] = 0f;
                    }
                }
            }
        }

        /** {@link #fillSettled} applied in place: dropped values become +0 through a bit mask. */
        private void zeroSettled(float[] values, int from, int count) {
            int lowBound = lowTies >= lowQuota ? lowKey - 1 : lowKey;
            int highBound = highTies < highQuota ? highKey + 1 : highKey;
            // Both cuts' ties are counted before zeroing; with a shared key both counters advance, as in keepTie.
            if (finite) {
                highTies += MaskLoops.countEqualFinite(values, from, count, Float.intBitsToFloat(highKey));
                lowTies += MaskLoops.zeroOutsideFinite(values, from, count, MaskLoops.leastAbove(lowBound),
                        MaskLoops.limitBelow(highBound), Float.intBitsToFloat(lowKey));
            } else {
                highTies += MaskLoops.countEqual(values, from, count, highKey);
                lowTies += MaskLoops.zeroOutside(values, from, count, lowBound, highBound, lowKey);
            }
        }

        /** Few ties: branch on each (rarely taken, so well predicted). */
        private void fillBranching(float[] values, int from, int count, boolean[] keep, int keepFrom) {
            int lk = lowKey;
            int hk = highKey;
            for (int i = 0; i < count; i++) {
                int key = MagnitudeKey.of(values[from + i]);
                boolean kept = (KeyCompare.above(key, lk) & KeyCompare.below(key, hk)) != 0;
                if (key == lk | key == hk) {
                    kept = keepTie(key);
                }
                keep[keepFrom + i] = kept;
            }
        }

        /**
         * Many ties, but at each cut every tie in this chunk gets the same answer (the cut's quota is used up, or
         * this chunk cannot use it up): compare against bounds that include or exclude each cut key, count ties.
         */
        private void fillSettled(float[] values, int from, int count, boolean[] keep, int keepFrom) {
            int lk = lowKey;
            int hk = highKey;
            // Ties past the low quota are kept (key >= lk); ties within the high quota are kept (key <= hk). The
            // high quota is positive only for a real cut, whose key is at most NAN, so hk + 1 cannot overflow.
            int lowBound = lowTies >= lowQuota ? lk - 1 : lk;
            int highBound = highTies < highQuota ? hk + 1 : hk;
            int lowTied = 0;
            int highTied = 0;
            for (int i = 0; i < count; i++) {
                int key = MagnitudeKey.of(values[from + i]);
                keep[keepFrom + i] = (KeyCompare.above(key, lowBound) & KeyCompare.below(key, highBound)) != 0;
                lowTied += KeyCompare.equal(key, lk);
                highTied += KeyCompare.equal(key, hk);
            }
            lowTies += lowTied;
            highTies += highTied;
        }

        /** The decision for a key equal to one cut's key (or both), advancing that cut's tie count. */
        private boolean keepTie(int key) {
            // Both cuts are evaluated in full: when they share a key, both tie counters must advance.
            boolean afterLow = key > lowKey || key == lowKey && lowTies++ >= lowQuota;
            boolean beforeHigh = key < highKey || key == highKey && highTies++ < highQuota;
            return afterLow & beforeHigh;
        }
    }
}
