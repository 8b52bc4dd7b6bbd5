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
    /** The largest tensor, in elements, whose first pass's decisions are kept for later passes (8 MiB of bits). */
    public static final long RECORDED_ELEMENTS = 1L << 26;

    private final long recordedElements;

    /** Keeps the decisions of tensors of up to {@link #RECORDED_ELEMENTS} elements. */
    public DellaSparsifier() {
        this(RECORDED_ELEMENTS);
    }

    /**
     * @param recordedElements the largest tensor, in elements, whose first pass's decisions are kept as bits (one
     *                         per element and model) for later passes; 0 ranks and draws again in every pass
     */
    public DellaSparsifier(long recordedElements) {
        this.recordedElements = recordedElements;
    }

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
                    (int) scan.inputs().rowLength(), scan.inputs().elements(),
                    scan.inputs().elements() <= recordedElements);
        }
        return masks;
    }

    /**
     * Draws each element against its rank-dependent keep probability, row by row. A recorded tensor has its first
     * pass's decisions kept as bits, one per element, and later passes (DELLA's rescale reads every delta once before
     * the merge's pass) apply them instead of ranking and drawing again: the same decisions, since both depend only
     * on the row's values and the element's index.
     */
    private static final class RankMask implements DeltaMask {
        private final CounterRng rng;
        private final int row;
        private final MagnitudeRanks magnitudes;
        /** The keep probability of each rank, as {@link CounterRng#threshold}s: the same for every row. */
        private final long[] thresholds;
        private final long elements;
        /** The first pass's decisions, bit {@code i} for element {@code i}; null when not recorded. */
        private final long[] kept;
        /** Elements decided in the pass under way, while recording. */
        private long decided;
        /** Whether a whole pass has been recorded, so that later passes replay it. */
        private boolean replay;

        RankMask(CounterRng rng, double density, double epsilon, int row, long elements, boolean record) {
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
            this.elements = elements;
            this.kept = record ? new long[(int) ((elements + 63) >>> 6)] : null;
        }

        @Override
        public void apply(long first, float[] delta, int length) {
            if (replay) {
                keepRecorded(first, delta, 0, length);
                return;
            }
            for (int start = 0; start < length; start += row) {
                int[] ranks = magnitudes.ascending(delta, start, row);
                if (kept == null) {
                    // Dropped to +0, kept bit for bit, by a mask rather than a branch, which would mispredict on
                    // random draws; the draws in position order, each against its rank's probability.
                    rng.keepBelow(first + start, thresholds, ranks, delta, start, row);
                } else {
                    rng.keepBits(first + start, thresholds, ranks, row, kept, first + start);
                    keepRecorded(first, delta, start, row);
                }
            }
            decided += length;
        }

        /**
         * Applies the recorded decisions to {@code delta[from, from + count)}, of the chunk starting at element
         * {@code first}.
         */
        private void keepRecorded(long first, float[] delta, int from, int count) {
            for (int j = from; j < from + count; j++) {
                long bit = first + j;
                // All ones where the bit is set: kept bit for bit, else +0.
                int keep = (int) -((kept[(int) (bit >>> 6)] >>> bit) & 1);
                delta[j] = Float.intBitsToFloat(Float.floatToRawIntBits(delta[j]) & keep);
            }
        }

        @Override
        public void restart() {
            // A pass that decided every element once is replayed from then on; ranks and draws depend on the
            // chunk's rows and element indices only, so replaying gives the same decisions.
            replay |= kept != null && decided == elements;
            decided = 0;
        }
    }
}
