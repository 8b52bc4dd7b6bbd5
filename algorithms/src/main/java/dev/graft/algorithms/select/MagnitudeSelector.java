package dev.graft.algorithms.select;

/**
 * A selection of elements by magnitude, computed in streaming passes and applied in a later pass.
 *
 * <p>Protocol: while {@link #needsPass()}, feed every element once per pass through {@link #accept} (any chunk
 * sizes), then call {@link #endPass()}; after that, {@link #mask()} gives the per-element decision. Several selectors
 * (one per model, say) can be driven over the same passes; they may need different numbers of passes (zero, one or
 * two), so a driver loops while any of them {@code needsPass()} and feeds only those that do.
 */
public interface MagnitudeSelector {

    /** Whether another pass over the data is needed before {@link #mask()}. */
    boolean needsPass();

    /** Feeds {@code values[from, from + count)} to the current pass; the order of chunks does not matter. */
    void accept(float[] values, int from, int count);

    /**
     * Feeds the differences {@code x[i] − base[i]}, {@code i} in {@code [offset, offset + count)}, to the current
     * pass, as {@link #accept} would be fed them computed. The default computes them into {@code scratch} (at least
     * {@code count} long); a selector may use them without writing them down.
     */
    default void acceptDifference(float[] x, float[] base, int offset, int count, float[] scratch) {
        for (int i = 0; i < count; i++) {
            scratch[i] = x[offset + i] - base[offset + i];
        }
        accept(scratch, 0, count);
    }

    /** Ends the current pass; throws {@link IllegalStateException} if it did not see exactly every element once. */
    void endPass();

    /** A fresh mask that decides each element in index order; only once no pass is pending. */
    KeepMask mask();
}
