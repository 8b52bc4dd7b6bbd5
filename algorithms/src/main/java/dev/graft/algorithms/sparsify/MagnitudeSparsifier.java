package dev.graft.algorithms.sparsify;

import dev.graft.algorithms.kernels.DeltaScan;
import dev.graft.algorithms.select.MagnitudeSelector;
import dev.graft.algorithms.select.MagnitudeTopK;
import dev.graft.core.kernel.TensorParameters;

/**
 * TIES' trim (mergekit's {@code magnitude}): keep the {@code k = ⌊density·n⌋} entries of largest |δ| of each model's
 * task vector over the whole tensor, exactly k of them (ties at the threshold: lowest index first), by selection in
 * two streaming passes rather than a sort. {@code density ≥ 1} keeps everything; where {@code k} is 0 (a density
 * too small for a small tensor) nothing is kept, where mergekit stops with an assertion error.
 */
public final class MagnitudeSparsifier implements Sparsifier {
    @Override
    public DeltaMask[] prepare(DeltaScan scan, TensorParameters p) {
        int[] models = scan.models();
        long n = scan.inputs().elements();
        MagnitudeSelector[] selectors = new MagnitudeSelector[models.length];
        for (int k = 0; k < models.length; k++) {
            double density = p.modelDouble(models[k], "density", 1);
            if (density < 1) {
                selectors[k] = MagnitudeTopK.of(n, (long) (density * n));
            }
        }
        SelectionPasses.run(scan, selectors);
        return Masks.of(selectors, scan.inputs().maxChunk());
    }
}
