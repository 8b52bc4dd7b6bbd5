package dev.graft.algorithms.sparsify;

import dev.graft.algorithms.kernels.DeltaScan;
import dev.graft.algorithms.random.CounterRng;
import dev.graft.core.kernel.TensorParameters;

/**
 * DELLA's MagPrune (mergekit's {@code della_magprune}): within each row, rank the entries of a task vector by |δ|
 * (1 = smallest, ties by index), and keep entry {@code j} with probability
 * {@code p = (density − ε) + 2ε·(rank − 1)/(n − 1)}, so the largest entries are kept most often. Rows are the last
 * dimension (a 1-D tensor is one row; mergekit ranks along dimension 1 of 2-D tensors, the same thing). mergekit
 * requires {@code 0 < density − ε} and {@code density + ε < 1}; so do we. Draws come from the counter-based stream
 * of (seed, tensor, model).
 */
public final class DellaSparsifier implements Sparsifier {
    @Override
    public DeltaMask[] prepare(DeltaScan scan, TensorParameters p) {
        int[] models = scan.models();
        DeltaMask[] masks = new DeltaMask[models.length];
        for (int k = 0; k < models.length; k++) {
            double density = p.modelDouble(models[k], "density", 1);
            double epsilon = p.modelDouble(models[k], "epsilon", 0.15);
            if (density >= 1) {
                masks[k] = DeltaMask.KEEP_ALL;
                continue;
            }
            if (!(density - epsilon > 0) || !(density + epsilon < 1)) {
                throw new IllegalArgumentException(p.tensor() + ": della needs 0 < density - epsilon and "
                        + "density + epsilon < 1, got density " + density + ", epsilon " + epsilon);
            }
            masks[k] = new RankMask(CounterRng.forTensor(p.seed(), p.tensor() + '\u0000' + p.inputNames().get(models[k]), 0), density, epsilon,
                    (int) scan.inputs().rowLength(), scan.inputs().maxChunk());
        }
        return masks;
    }

    /** Draws each element against its rank-dependent keep probability, row by row. */
    private static final class RankMask implements DeltaMask {
        private final CounterRng rng;
        private final double low;
        private final double spread;
        private final int row;
        private final MagnitudeOrder magnitudes;
        private final double[] u;

        RankMask(CounterRng rng, double density, double epsilon, int row, int maxChunk) {
            this.rng = rng;
            this.low = density - epsilon;
            this.spread = 2 * epsilon;
            this.row = row;
            this.magnitudes = new MagnitudeOrder(row);
            this.u = new double[maxChunk];
        }

        @Override
        public void apply(long first, float[] delta, int length) {
            rng.fillUniform(first, u, 0, length);
            for (int start = 0; start < length; start += row) {
                int[] order = magnitudes.ascending(delta, start, row);
                double denominator = row > 1 ? row - 1 : 1;
                for (int rank = 0; rank < row; rank++) {
                    int j = order[rank];
                    double keep = low + spread * (rank / denominator);
                    // Dropped to +0, kept bit for bit, by a mask rather than a branch, which would mispredict on
                    // random draws.
                    int bits = u[start + j] < keep ? -1 : 0;
                    delta[start + j] = Float.intBitsToFloat(Float.floatToRawIntBits(delta[start + j]) & bits);
                }
            }
        }

        @Override
        public void restart() {
            // stateless: ranks and draws depend on the chunk's rows and element indices only
        }
    }
}
