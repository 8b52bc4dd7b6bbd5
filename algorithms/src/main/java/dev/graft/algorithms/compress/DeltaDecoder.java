package dev.graft.algorithms.compress;

/**
 * Reconstructs one stored matrix delta, front to back: each call adds the next chunk of Δ̂ to the base values it
 * is given. Not thread-safe; one decoder per tensor.
 */
@FunctionalInterface
public interface DeltaDecoder extends AutoCloseable {
    /**
     * Adds {@code Δ̂[first .. first+count)} to {@code values[0..count)}. Calls cover the elements in order, without
     * gaps.
     */
    void addTo(long first, float[] values, int count);

    /** Releases native memory the decoder holds (factor matrices); a no-op for most. */
    @Override
    default void close() {
    }
}
