package dev.graft.algorithms.sparsify;

import dev.graft.algorithms.kernels.DeltaScan;
import dev.graft.algorithms.random.CounterRng;
import dev.graft.core.kernel.TensorParameters;

/**
 * DARE's drop (mergekit's {@code bernoulli}): keep each entry of a task vector independently with probability
 * {@code density}. Rescaling, when asked, is the kernel's L1 rescale (as in mergekit since 2025, not DARE's
 * {@code 1/density}). The draws come from a counter-based stream keyed by (seed, tensor, model name), so the
 * result is the same for any chunking, thread count or order of the models; it is not torch's RNG, so it differs
 * from mergekit's draws.
 */
public final class BernoulliSparsifier implements Sparsifier {
    @Override
    public DeltaMask[] prepare(DeltaScan scan, TensorParameters p) {
        int[] models = scan.models();
        DeltaMask[] masks = new DeltaMask[models.length];
        for (int k = 0; k < models.length; k++) {
            double density = p.modelDouble(models[k], "density", 1);
            masks[k] = density >= 1 ? DeltaMask.KEEP_ALL
                    : new BernoulliMask(CounterRng.forTensor(p.seed(), p.tensor() + '\u0000' + p.inputNames().get(models[k]), 0), (float) density);
        }
        return masks;
    }

    /** Keeps element i when its uniform draw is below the keep probability. */
    private static final class BernoulliMask implements DeltaMask {
        private final CounterRng rng;
        private final float density;

        BernoulliMask(CounterRng rng, float density) {
            this.rng = rng;
            this.density = density;
        }

        @Override
        public void apply(long first, float[] delta, int length) {
            rng.keepBelow(first, density, delta, 0, length);
        }

        @Override
        public void restart() {
            // stateless: the draw of element i depends on i only
        }
    }
}
