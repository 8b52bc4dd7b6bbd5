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
