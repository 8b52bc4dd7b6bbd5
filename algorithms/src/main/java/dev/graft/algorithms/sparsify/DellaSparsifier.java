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
                    (int) scan.inputs().rowLength());
        }
        return masks;
    }

    /** Draws each element against its rank-dependent keep probability, row by row. */
    private static final class RankMask implements DeltaMask {
        private final CounterRng rng;
        private final int row;
        private final MagnitudeRanks magnitudes;
        /** The keep probability of each rank, as {@link CounterRng#threshold}s: the same for every row. */
        private final long[] thresholds;

        RankMask(CounterRng rng, double density, double epsilon, int row) {
            this.rng = rng;
            this.row = row;
            this.magnitudes = new MagnitudeRanks(row);
            double low = density - epsilon;
            double spread = 2 * epsilon;
            double denominator = row > 1 ? row - 1 : 1;
            this.thresholds = new long[row];
            for (int rank = 0; rank < row; rank++) {
                thresholds[rank] = CounterRng.threshold(low + spread * (rank / denominator));
            }
        }

        @Override
        public void apply(long first, float[] delta, int length) {
            for (int start = 0; start < length; start += row) {
                // Dropped to +0, kept bit for bit, by a mask rather than a branch, which would mispredict on random
                // draws; the draws in position order, each against its rank's probability.
                rng.keepBelow(first + start, thresholds, magnitudes.ascending(delta, start, row), delta, start, row);
            }
        }

        @Override
        public void restart() {
            // stateless: ranks and draws depend on the chunk's rows and element indices only
        }
    }
}
