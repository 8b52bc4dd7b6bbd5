package dev.graft.algorithms.lora;

import dev.graft.algorithms.random.CounterRng;
import dev.graft.algorithms.select.MagnitudeTopK;

/**
 * PEFT's {@code merge_utils} on dense deltas, for the SVD combinations: task arithmetic, magnitude pruning, TIES
 * and DARE. Each delta {@code Dᵢ} already includes its adapter's scaling; {@code wᵢ} are the user's weights, applied
 * once (PEFT applies the scaling a second time, peft#3111).
 *
 * <ul>
 *   <li>magnitude pruning keeps the {@code int(density·n)} largest {@code |x|} (ties by lower index);</li>
 *   <li>random pruning keeps each element with probability {@code density} and divides survivors by it
 *       (keyed draws: seed, module and adapter index decide the mask);</li>
 *   <li>the majority sign is that of {@code Σ Dᵢ} ("total") or of {@code Σ sign(Dᵢ)} ("frequency") over the
 *       pruned, unweighted deltas; elements whose sign disagrees (or are zero) are dropped; the disjoint merge
 *       divides {@code Σ wᵢ·Dᵢ·maskᵢ} by the number of agreeing deltas (at least 1).</li>
 * </ul>
 * A density of 1 or more prunes nothing, as in PEFT.
 */
final class DeltaCombiner {
    /** How the majority sign of an element is elected. */
    enum MajoritySign { TOTAL, FREQUENCY }

    private final CombinationMethod method;
    private final double density;
    private final MajoritySign majority;
    private final long seed;

    DeltaCombiner(CombinationMethod method, double density, MajoritySign majority, long seed) {
        if (!method.usesSvd()) {
            throw new IllegalArgumentException(method.peftName() + " does not combine dense deltas");
        }
        if (method.usesDensity() && !(density >= 0)) {
            throw new IllegalArgumentException("density must be at least 0, not " + density);
        }
        this.method = method;
        this.density = density;
        this.majority = majority;
        this.seed = seed;
    }

    /**
     * Combines the deltas of one module in place of the first; all have the same length.
     *
     * @param module   the module path (keys the random draws)
     * @param deltas   {@code Dᵢ}, changed by pruning
     * @param weights  {@code wᵢ}
     * @param adapters the index of each delta's adapter (keys the random draws)
     */
    float[] combine(String module, float[][] deltas, double[] weights, int[] adapters) {
        for (int i = 0; i < deltas.length; i++) {
            switch (method) {
                case TIES_SVD, MAGNITUDE_PRUNE_SVD -> magnitudePrune(deltas[i]);
                case DARE_LINEAR_SVD, DARE_TIES_SVD -> randomPrune(deltas[i], CounterRng.forTensor(seed, module,
                        adapters[i]));
                default -> {
                }
            }
        }
        int n = deltas[0].length;
        float[] out = new float[n];
        boolean disjoint = method == CombinationMethod.TIES_SVD || method == CombinationMethod.DARE_TIES_SVD;
        if (!disjoint) {
            for (int i = 0; i < deltas.length; i++) {
                float w = (float) weights[i];
                float[] d = deltas[i];
                for (int e = 0; e < n; e++) {
                    out[e] += w * d[e];
                }
            }
            return out;
        }
        for (int e = 0; e < n; e++) {
            float elect = 0;
            for (float[] d : deltas) {
                elect += majority == MajoritySign.TOTAL ? d[e] : Math.signum(d[e]);
            }
            float sign = elect >= 0 ? 1 : -1;
            float sum = 0;
            int agree = 0;
            for (int i = 0; i < deltas.length; i++) {
                float x = deltas[i][e];
                if (Math.signum(x) == sign) {
                    sum += (float) weights[i] * x;
                    agree++;
                }
            }
            out[e] = sum / Math.max(1, agree);
        }
        return out;
    }

    private void magnitudePrune(float[] d) {
        if (density >= 1) {
            return;
        }
        MagnitudeTopK top = MagnitudeTopK.of(d.length, (long) (density * d.length));
        while (top.needsPass()) {
            top.accept(d, 0, d.length);
            top.endPass();
        }
        top.mask().zero(d, 0, d.length);
    }

    private void randomPrune(float[] d, CounterRng rng) {
        if (density >= 1) {
            return;
        }
        boolean[] keep = new boolean[d.length];
        rng.fillBernoulli(0, density, keep, 0, d.length);
        float inv = (float) (1 / density);
        for (int e = 0; e < d.length; e++) {
            d[e] = keep[e] ? d[e] * inv : 0;
        }
    }
}
