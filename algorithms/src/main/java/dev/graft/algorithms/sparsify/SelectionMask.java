package dev.graft.algorithms.sparsify;

import dev.graft.algorithms.select.KeepMask;
import dev.graft.algorithms.select.MagnitudeSelector;

/** A {@link DeltaMask} applying a finished magnitude selection; each pass gets a fresh mask from the selector. */
final class SelectionMask implements DeltaMask {
    private final MagnitudeSelector selector;
    private final boolean[] keep;
    private KeepMask mask;

    SelectionMask(MagnitudeSelector selector, int maxChunk) {
        this.selector = selector;
        this.keep = new boolean[maxChunk];
        this.mask = selector.mask();
    }

    @Override
    public void apply(long first, float[] delta, int length) {
        mask.fill(delta, 0, length, keep, 0);
        for (int e = 0; e < length; e++) {
            if (!keep[e]) {
                delta[e] = 0;
            }
        }
    }

    @Override
    public void restart() {
        mask = selector.mask();
    }
}
