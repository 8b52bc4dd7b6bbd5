package dev.graft.algorithms.select;

/**
 * The per-element outcome of a selection, handed out once the selection's passes are done.
 *
 * <p>A mask is stateful: tie-breaking depends on element indices, so it counts the tied elements it has seen and
 * must be shown every element of the tensor exactly once, in index order (through {@link #keep(float)},
 * {@link #fill} or both, in any chunking). To apply the same selection in a further pass, ask the selector for a
 * fresh mask. Masks are cheap (no arrays) and not thread-safe.
 */
public interface KeepMask {

    /** Whether the next element (in index order), whose value is {@code x}, is kept. */
    boolean keep(float x);

    /**
     * Decides the next {@code count} elements, {@code values[from, from + count)}, writing {@code true} for each
     * kept one to {@code keep[keepFrom, keepFrom + count)}; same result as calling {@link #keep(float)} on each.
     */
    void fill(float[] values, int from, int count, boolean[] keep, int keepFrom);

    /**
     * Zeros, in place, the elements of {@code values[from, from + count)} this mask drops: the same decisions as
     * {@link #fill}, applied directly (and counted the same way, so it too must see elements in index order).
     */
    default void zero(float[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!keep(values[i])) {
                values[i] = 0f;
            }
        }
    }

    /**
     * Whether {@link #settledBound} can answer at all: the mask decides by a bound on finite data. Then it answers
     * for every chunk but those where a tie quota runs out.
     */
    default boolean decidesByBound() {
        return false;
    }

    /**
     * When the next {@code count} elements, whatever their values, are all decided by one comparison
     * {@code |x| >= bound} (finite data, and no tie quota running out among them), that bound; otherwise NaN, and
     * they must go through {@link #zero} or {@link #fill}. A caller that decides them itself must then report them
     * with {@link #skip}, counting the elements whose magnitude is {@link #tieMagnitude()}.
     */
    default float settledBound(int count) {
        return Float.NaN;
    }

    /**
     * As {@link #settledBound(int)}, told how many of the next {@code count} elements have magnitude
     * {@link #tieMagnitude()}: a caller that has counted them gets a bound for chunks whose ties all fit in what
     * is left of the quota, however long the chunk. NaN where that does not settle them either.
     */
    default float settledBound(int count, long tiesAmongThem) {
        return settledBound(count);
    }

    /**
     * The magnitude whose elements count against the tie quota; see {@link #settledBound}. NaN when counting them
     * no longer changes anything (the quota is used up).
     */
    default float tieMagnitude() {
        return Float.NaN;
    }

    /**
     * Records that the next {@code count} elements were decided by {@link #settledBound}, {@code tied} of them
     * with magnitude {@link #tieMagnitude()}.
     */
    default void skip(int count, long tied) {
        throw new UnsupportedOperationException("this mask decides no chunk by a bound");
    }
}
