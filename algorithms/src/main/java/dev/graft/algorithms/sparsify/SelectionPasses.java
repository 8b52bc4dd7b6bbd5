package dev.graft.algorithms.sparsify;

import dev.graft.algorithms.kernels.DeltaScan;
import dev.graft.algorithms.select.MagnitudeSelector;

/** Drives several models' magnitude selectors over the same passes of the deltas, until none needs another. */
final class SelectionPasses {
    private SelectionPasses() {
    }

    /** @param selectors one per model in delta order; null for a model that is not selected on */
    static void run(DeltaScan scan, MagnitudeSelector[] selectors) {
        while (anyPending(selectors)) {
            boolean[] feeding = new boolean[selectors.length];
            for (int k = 0; k < selectors.length; k++) {
                feeding[k] = selectors[k] != null && selectors[k].needsPass();
            }
            // The selectors take the deltas as differences of the inputs: the radix search's first pass then
            // computes them in registers (with the Vector API) instead of reading them back from a buffer.
            float[] scratch = new float[scan.blockLength()];
            scan.scanInputs((first, len, x, base, offset) -> {
                for (int k = 0; k < selectors.length; k++) {
                    if (feeding[k]) {
                        selectors[k].acceptDifference(x[k], base, offset, len, scratch);
                    }
                }
            });
            for (int k = 0; k < selectors.length; k++) {
                if (feeding[k]) {
                    selectors[k].endPass();
                }
            }
        }
    }

    private static boolean anyPending(MagnitudeSelector[] selectors) {
        for (MagnitudeSelector s : selectors) {
            if (s != null && s.needsPass()) {
                return true;
            }
        }
        return false;
    }
}
