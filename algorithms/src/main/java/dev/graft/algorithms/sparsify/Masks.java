package dev.graft.algorithms.sparsify;

import dev.graft.algorithms.select.MagnitudeSelector;

/** Turns finished selectors into delta masks; a model without a selector keeps everything. */
final class Masks {
    private Masks() {
    }

    static DeltaMask[] of(MagnitudeSelector[] selectors, int maxChunk) {
        DeltaMask[] masks = new DeltaMask[selectors.length];
        for (int k = 0; k < selectors.length; k++) {
            masks[k] = selectors[k] == null ? DeltaMask.KEEP_ALL : new SelectionMask(selectors[k]);
        }
        return masks;
    }
}
