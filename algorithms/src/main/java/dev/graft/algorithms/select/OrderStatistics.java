package dev.graft.algorithms.select;

import java.util.Arrays;

/**
 * The values at given ranks of the ascending order of {@code n} non-negative floats (order statistics: a median,
 * quartiles), exactly, in streaming passes with memory independent of {@code n}.
 *
 * <p>It runs one {@link RadixRankSearch} per two ranks over the same passes (one or two passes; see there) and
 * reads each rank's value off its {@link RankBoundary}. The searches order by {@linkplain MagnitudeKey magnitude},
 * which is the order of the values themselves only for non-negative data ({@code -0} counts as {@code +0}): callers
 * must feed values {@code >= 0}. Ties do not matter here, since a rank's value is the same whichever of several
 * equal elements sits there.
 *
 * <p>Use: while {@link #needsPass()}, {@link #accept} every element once (any chunking, any order), then
 * {@link #endPass()}; then {@link #value(int)}. Not thread-safe.
 */
public final class OrderStatistics {
    private final RadixRankSearch[] searches;

    /**
     * @param n     element count each pass delivers, {@code 1 <= n <=} {@value RadixRankSearch#MAX_ELEMENTS}
     * @param ranks ascending-order ranks whose values are wanted, each in {@code [0, n)}
     */
    public OrderStatistics(long n, long... ranks) {
        searches = new RadixRankSearch[(ranks.length + 1) / 2];
        for (int s = 0; s < searches.length; s++) {
            searches[s] = new RadixRankSearch(n, Arrays.copyOfRange(ranks, 2 * s, Math.min(ranks.length, 2 * s + 2)));
        }
    }

    /**
     * The rank {@code ⌊m·(n − 1)/4⌋} of the m-th quartile of n sorted values ({@code m = 2}: the median), as
     * mergekit's {@code approximate_quantiles} indexes its sorted sample; computed in integers, exact for every n.
     */
    public static long quartileRank(long n, int m) {
        if (n < 1 || m < 0 || m > 4) {
            throw new IllegalArgumentException("quartile " + m + " of " + n + " values");
        }
        long last = n - 1;
        return last / 4 * m + last % 4 * m / 4;
    }

    /** Whether another pass over the data is needed before {@link #value(int)} can answer. */
    public boolean needsPass() {
        for (RadixRankSearch s : searches) {
            if (s.needsPass()) {
                return true;
            }
        }
        return false;
    }

    /** Feeds {@code values[from, from + count)} to the current pass. */
    public void accept(float[] values, int from, int count) {
        for (RadixRankSearch s : searches) {
            if (s.needsPass()) {
                s.accept(values, from, count);
            }
        }
    }

    /** Ends the current pass; throws if it did not see exactly {@code n} elements. */
    public void endPass() {
        for (RadixRankSearch s : searches) {
            if (s.needsPass()) {
                s.endPass();
            }
        }
    }

    /** The value at the {@code i}-th rank (constructor order); only once no pass is pending. */
    public float value(int i) {
        return searches[i / 2].boundary(i % 2).magnitude();
    }
}
