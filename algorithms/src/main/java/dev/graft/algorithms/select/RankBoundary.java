package dev.graft.algorithms.select;

/**
 * Where one rank of the ascending magnitude order falls, described without element indices.
 *
 * <p>For a rank {@code r}, {@code key} is the {@linkplain MagnitudeKey magnitude key} of the element at rank
 * {@code r}; {@code below} elements have a smaller key and {@code tied} elements have exactly this key, so
 * {@code below <= r < below + tied}. Which of the tied elements lie before rank {@code r} is decided by the
 * caller's tie-break rule; {@link #tiesBefore(long)} says how many.
 *
 * @param key   magnitude key of the element at the rank
 * @param below number of elements whose key is smaller
 * @param tied  number of elements whose key equals {@code key} (at least 1)
 */
public record RankBoundary(int key, long below, long tied) {

    /** Checks {@code 0 <= key <= MagnitudeKey.NAN}, {@code below >= 0} and {@code tied >= 1}. */
    public RankBoundary {
        if (key < 0 || key > MagnitudeKey.NAN || below < 0 || tied < 1) {
            throw new IllegalArgumentException("bad rank boundary: key 0x" + Integer.toHexString(key)
                    + ", below " + below + ", tied " + tied);
        }
    }

    /** How many of the tied elements rank before {@code rank}, which must lie within this boundary's tie group. */
    public long tiesBefore(long rank) {
        if (rank < below || rank >= below + tied) {
            throw new IllegalArgumentException("rank " + rank + " is outside [" + below + ", " + (below + tied) + ")");
        }
        return rank - below;
    }

    /** The magnitude at the rank, as a float (NaN when the rank holds NaNs). */
    public float magnitude() {
        return MagnitudeKey.magnitude(key);
    }
}
