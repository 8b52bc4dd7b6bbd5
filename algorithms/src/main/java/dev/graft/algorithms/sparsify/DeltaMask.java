package dev.graft.algorithms.sparsify;

/**
 * Which elements of one model's delta survive sparsification. Applied chunk by chunk in element order, once per
 * pass; {@link #restart()} before each new pass, so that decisions that depend on order (ties at a threshold are
 * broken by element index) replay identically.
 */
public interface DeltaMask {
    /** Zeros the dropped elements of {@code delta[0..length)}, the chunk starting at element {@code first}. */
    void apply(long first, float[] delta, int length);

    /** Starts a new pass from element 0. */
    void restart();

    /** Whether {@link #settledBound} can answer, for all chunks but a few (see {@code KeepMask.decidesByBound}). */
    default boolean decidesByBound() {
        return false;
    }

    /**
     * When the next {@code length} elements are all kept exactly where {@code |δ| >= bound}, that bound, else NaN
     * (see {@link dev.graft.algorithms.select.KeepMask#settledBound}); a caller that applies the bound itself
     * reports the chunk with {@link #skip}.
     */
    default float settledBound(int length) {
        return Float.NaN;
    }

    /**
     * As {@link #settledBound(int)}, told how many of the next {@code length} elements have magnitude
     * {@link #tieMagnitude()} (see {@link dev.graft.algorithms.select.KeepMask#settledBound(int, long)}).
     */
    default float settledBound(int length, long tiesAmongThem) {
        return settledBound(length);
    }

    /** The magnitude counted against the mask's tie quota (NaN: no need to count); see {@link #settledBound}. */
    default float tieMagnitude() {
        return Float.NaN;
    }

    /** Records a chunk decided by {@link #settledBound}, {@code tied} of its elements at {@link #tieMagnitude()}. */
    default void skip(int length, long tied) {
        throw new UnsupportedOperationException("this mask decides no chunk by a bound");
    }

    /** The mask that keeps everything. */
    DeltaMask KEEP_ALL = new DeltaMask() {
        @Override
        public void apply(long first, float[] delta, int length) {
        }

        @Override
        public void restart() {
        }
    };
}
