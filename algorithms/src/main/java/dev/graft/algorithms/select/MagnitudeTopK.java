package dev.graft.algorithms.select;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Keeps the {@code k} elements of largest magnitude {@code |x|}, exactly {@code k} of them (TIES' and mergekit's
 * {@code magnitude} sparsifier, which keeps {@code argsort(|x|, descending)[:k]}).
 *
 * <p>Order: descending {@linkplain MagnitudeKey magnitude} (NaN largest, then infinities; {@code -0 == +0}), ties
 * broken by element index, lower first — a stable descending sort. So among the elements whose magnitude equals
 * the threshold, the lowest-index ones are kept. (mergekit's unstable argsort leaves that choice open.)
 * {@code k = 0} keeps nothing and {@code k >= n} keeps everything, without any pass.
 *
 * <p>Needs at most two passes (see {@link RadixRankSearch}) and about 128 KiB, then 256 KiB, of counters.
 */
public final class MagnitudeTopK implements MagnitudeSelector {

    private final long n;
    private long k;
    private final RadixRankSearch search;

    private MagnitudeTopK(long n, long k) {
        this.n = n;
        this.k = k;
        // The k-th largest sits at ascending rank n - k.
        this.search = k == 0 || k >= n ? new RadixRankSearch(n) : new RadixRankSearch(n, n - k);
    }

    /** A selector whose k is set from the count of nonzero magnitudes when its first pass ends. */
    private MagnitudeTopK(long n, double fraction) {
        this.n = n;
        this.search = new RadixRankSearch(n, zeros -> {
            k = (long) ((n - zeros) * fraction);
            return k == 0 || k >= n ? new long[0] : new long[] {n - k};
        });
    }

    /**
     * A selector keeping the {@code k} largest magnitudes of {@code n} elements.
     *
     * @param n element count, {@code 0 <= n <=} {@value RadixRankSearch#MAX_ELEMENTS}
     * @param k how many to keep, {@code k >= 0}; values above {@code n} keep everything
     */
    public static MagnitudeTopK of(long n, long k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        return new MagnitudeTopK(n, k);
    }

    /**
     * A selector keeping the {@code k = ⌊fraction·m⌋} largest magnitudes of {@code n} elements, where {@code m} is the
     * number of nonzero ones (SCE's {@code select_topk} over the variances): the count comes from the first
     * selection pass, so no pass is spent on it. With {@code fraction < 1}, {@code k < m}: zeros are never kept.
     *
     * @param fraction in {@code [0, 1]}; 0 keeps nothing without any pass
     */
    public static MagnitudeTopK ofNonzeroFraction(long n, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
        }
        return fraction == 0 || n == 0 ? new MagnitudeTopK(n, 0) : new MagnitudeTopK(n, fraction);
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
    public void acceptDifference(float[] x, float[] base, int offset, int count, float[] scratch) {
        search.acceptDifference(x, base, offset, count, scratch);
    }

    @Override
    public void endPass() {
        search.endPass();
    }

    @Override
    public KeepMask mask() {
        if (k == 0) {
            // No key exceeds MAX_VALUE and none equals it: nothing is kept.
            return new TopMask(Integer.MAX_VALUE, 0, false, false);
        }
        if (k >= n) {
            // Every key is above 0 or ties at 0, and every tie fits in the quota: everything is kept.
            return new TopMask(0, Long.MAX_VALUE, false, false);
        }
        RankBoundary b = search.boundary(0);
        long above = n - b.below() - b.tied();
        return new TopMask(b.key(), k - above, KeyCompare.denseTies(b.tied(), n), search.allFinite());
    }

    /**
     * Whether the selection's first pass found every value finite, so that float comparisons of {@code |x|}
     * decide as the keys do ({@link #leastAbove}); false before it, and when no pass was needed.
     */
    public boolean allFinite() {
        return search.allFinite();
    }

    /**
     * For finite values, the least magnitude whose key is above {@code bound}: {@code key > bound} if and only if
     * {@code |x| >= leastAbove(bound)}; infinity when no finite value is.
     */
    public static float leastAbove(int bound) {
        return MaskLoops.leastAbove(bound);
    }

    /** Element count the selector was made for. */
    public long size() {
        return n;
    }

    /** How many elements are kept, {@code min(k, n)}; for {@link #ofNonzeroFraction}, once its first pass ended. */
    public long kept() {
        return Math.min(k, n);
    }

    /**
     * Where the selection cuts: the smallest kept magnitude's boundary, for {@code 0 < k < n} once no pass is
     * pending. The mask keeps every element above {@code key} and the first {@code k - (n - below - tied)} of those
     * equal to it.
     */
    public RankBoundary threshold() {
        if (k == 0 || k >= n) {
            throw new IllegalStateException("no threshold: k = " + k + ", n = " + n);
        }
        return search.boundary(0);
    }

    /** Keeps keys above {@code threshold}, and the first {@code quota} keys equal to it. */
    private static final class TopMask implements KeepMask {
        private final int threshold;
        private final long quota;
        private final boolean denseTies;
        private final boolean finite;
        private long ties;

        /** @param finite whether every value the mask will see is finite, so that the float loops apply */
        TopMask(int threshold, long quota, boolean denseTies, boolean finite) {
            this.threshold = threshold;
            this.quota = quota;
            this.denseTies = denseTies;
            this.finite = finite;
        }

        @Override
        public boolean decidesByBound() {
            return finite;
        }

        @Override
        public float settledBound(int count) {
            // Settled without counting: the quota is used up, or every tie in the next count elements fits in it.
            if (!finite || ties < quota && count > quota - ties) {
                return Float.NaN;
            }
            return MaskLoops.leastAbove(settledKeyBound());
        }

        @Override
        public float settledBound(int count, long tiesAmongThem) {
            // Every one of the chunk's ties fits in the quota: all of them are kept, as the bound keeps them.
            if (!finite || ties < quota && tiesAmongThem > quota - ties) {
                return Float.NaN;
            }
            return MaskLoops.leastAbove(settledKeyBound());
        }

        /**
         * The key bound of a settled chunk: keys above it are kept, so ties are kept (bound one below the
         * threshold) while the quota lasts, and dropped once it is used up.
         */
        private int settledKeyBound() {
            return ties < quota ? threshold - 1 : threshold;
        }

        @Override
        public float tieMagnitude() {
            // Once the quota is used up, no tie is kept whatever the count: NaN tells callers not to count.
            return ties >= quota ? Float.NaN : Float.intBitsToFloat(threshold);
        }

        @Override
        public void skip(int count, long tied) {
            ties += tied;
        }

        @Override
        public boolean keep(float x) {
            int key = MagnitudeKey.of(x);
            if (key == threshold) {
                return ties++ < quota;
            }
            return KeyCompare.above(key, threshold) != 0;
        }

        @Override
        public void fill(float[] values, int from, int count, boolean[] keep, int keepFrom) {
            Objects.checkFromIndexSize(from, count, values.length);
            Objects.checkFromIndexSize(keepFrom, count, keep.length);
            if (denseTies && (ties >= quota || count <= quota - ties)) {
                fillSettled(values, from, count, keep, keepFrom);
            } else {
                fillBranching(values, from, count, keep, keepFrom);
            }
        }

        @Override
        public void zero(float[] values, int from, int count) {
            Objects.checkFromIndexSize(from, count, values.length);
            // Counting ties first lets the branch-free loop serve nearly every chunk, whatever the density of
            // ties; only the chunk where the quota runs out branches.
            if (MaskLoops.tiesSettled(ties, quota, values, from, count, threshold, finite)) {
                zeroSettled(values, from, count);
            } else {
                zeroBranching(values, from, count);
            }
        }

        /** {@link #fillBranching} applied in place: dropped values become +0 through a bit mask, not a branch. */
        private void zeroBranching(float[] values, int from, int count) {
            MemorySegment bits = MemorySegment.ofArray(values);
            int t = threshold;
            long q = quota;
            long tied = ties;
            for (int i = from; i < from + count; i++) {
                int v = bits.getAtIndex(ValueLayout.JAVA_INT, i);
                int key = MagnitudeKey.ofBits(v);
                int kept = KeyCompare.above(key, t);
                if (key == t) {
                    kept = tied < q ? 1 : 0;
                    tied++;
                }
                bits.setAtIndex(ValueLayout.JAVA_INT, i, v & -kept);
            }
            ties = tied;
        }

        /** {@link #fillSettled} applied in place, branch-free and vectorised ({@link MaskLoops}). */
        private void zeroSettled(float[] values, int from, int count) {
            int bound = settledKeyBound();
            if (finite) {
                ties += MaskLoops.zeroOutsideFinite(values, from, count, MaskLoops.leastAbove(bound),
                        Float.POSITIVE_INFINITY, Float.intBitsToFloat(threshold));
            } else {
                ties += MaskLoops.zeroOutside(values, from, count, bound, Integer.MAX_VALUE, threshold);
            }
        }

        /** Few ties: branch on each (rarely taken, so well predicted). */
        private void fillBranching(float[] values, int from, int count, boolean[] keep, int keepFrom) {
            int t = threshold;
            long q = quota;
            long tied = ties;
            for (int i = 0; i < count; i++) {
                int key = MagnitudeKey.of(values[from + i]);
                boolean kept = KeyCompare.above(key, t) != 0;
                if (key == t) {
                    kept = tied < q;
                    tied++;
                }
                keep[keepFrom + i] = kept;
            }
            ties = tied;
        }

        /**
         * Many ties, but every one in this chunk gets the same answer (the quota is used up, or this chunk cannot
         * use it up): one comparison against a bound that includes or excludes the threshold, ties only counted.
         */
        private void fillSettled(float[] values, int from, int count, boolean[] keep, int keepFrom) {
            int t = threshold;
            int bound = settledKeyBound();
            int tied = 0;
            for (int i = 0; i < count; i++) {
                int key = MagnitudeKey.of(values[from + i]);
                keep[keepFrom + i] = KeyCompare.above(key, bound) != 0;
                tied += KeyCompare.equal(key, t);
            }
            ties += tied;
        }
    }
}
