package dev.graft.algorithms.sparsify;

import dev.graft.algorithms.kernels.DeltaScan;
import dev.graft.core.kernel.TensorParameters;

/**
 * A way of dropping elements of task vectors (TIES' magnitude top-k, DARE's random drop, breadcrumbs' outlier
 * trim, DELLA's rank-weighted drop). Prepares one {@link DeltaMask} per model, running whatever statistics passes
 * it needs over the deltas first.
 */
public interface Sparsifier {
    /**
     * @param scan       the task's deltas
     * @param parameters resolved parameters; per-model values are indexed by input index
     * @return one mask per model, in {@link DeltaScan#models()} order
     */
    DeltaMask[] prepare(DeltaScan scan, TensorParameters parameters);
}
