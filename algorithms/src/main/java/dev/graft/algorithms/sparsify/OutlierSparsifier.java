package dev.graft.algorithms.sparsify;

import dev.graft.algorithms.kernels.DeltaScan;
import dev.graft.algorithms.select.MagnitudeRankRange;
import dev.graft.algorithms.select.MagnitudeSelector;
import dev.graft.core.kernel.TensorParameters;

/**
 * Model Breadcrumbs' trim (mergekit's {@code magnitude_outliers}): drop the {@code γ} fraction of largest |δ| (the
 * outliers) and the smallest ones, keeping {@code ⌊density·n⌋} entries: with {@code n_top = ⌊γ·n⌋} and
 * {@code n_bot = n − ⌊density·n⌋ − n_top} (when negative, {@code n_top} absorbs it and {@code n_bot = 0}), keep
 * ascending magnitude ranks {@code [n_bot, n − n_top)}.
 *
 * <p>Deliberate difference: with {@code n_top = 0} (γ = 0, or γ·n &lt; 1 on a small tensor) no large value is
 * removed; mergekit's slice {@code [n_bot:-0]} is empty there and zeroes the whole task vector.
 */
public final class OutlierSparsifier implements Sparsifier {
    @Override
    public DeltaMask[] prepare(DeltaScan scan, TensorParameters p) {
        int[] models = scan.models();
        long n = scan.inputs().elements();
        MagnitudeSelector[] selectors = new MagnitudeSelector[models.length];
        for (int k = 0; k < models.length; k++) {
            double density = p.modelDouble(models[k], "density", 1);
            double gamma = p.modelDouble(models[k], "gamma", 0.01);
            if (density >= 1) {
                continue;
            }
            long target = (long) (density * n);
            long top = (long) (gamma * n);
            long bottom = n - target - top;
            if (bottom < 0) {
                top += bottom;
                bottom = 0;
            }
            selectors[k] = MagnitudeRankRange.of(n, bottom, n - top);
        }
        SelectionPasses.run(scan, selectors);
        return Masks.of(selectors, scan.inputs().maxChunk());
    }
}
