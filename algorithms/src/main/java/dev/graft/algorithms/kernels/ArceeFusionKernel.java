package dev.graft.algorithms.kernels;

import dev.graft.algorithms.select.OrderStatistics;
import dev.graft.algorithms.simd.ImportanceLanes;
import dev.graft.algorithms.simd.Simd;
import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;

/**
 * mergekit's {@code arcee_fusion} between the base {@code θ_b} and the other model {@code θ₁}. Per row (the last
 * dimension; chunks hold whole rows, so a row's softmax is computed within its chunk):
 * {@code KL = Σ p·log(p/q)} with {@code p = softmax(θ₁) + 1e-8}, {@code q = softmax(θ_b) + 1e-8}, in double and
 * clamped at 0 (it is never negative exactly; a negative value is rounding), by {@link RowDivergence} in a fixed
 * order of operations, in vectors where the Vector API is there. Per element, the importance
 * {@code I = |θ₁ − θ_b|·KL}, rounded to float32. The threshold {@code τ = Q₂ + 1.5·(Q₃ − Q₁)}, in float32 as
 * mergekit computes it, from the exact quartiles {@code Qₘ} (rank {@code ⌊m·(n − 1)/4⌋} of the sorted importances,
 * found by {@link OrderStatistics} in one or two passes). Output: {@code θ_b + Δ} where {@code I ≥ τ}, else
 * {@code θ_b}.
 *
 * <p>The per-row KL is computed in the first pass and kept (8 bytes per row) for the later passes, unless the
 * tensor has more than {@value #MAX_KEPT_ROWS} rows, when each pass recomputes it (same values).
 */
public final class ArceeFusionKernel implements TensorKernel {
    /** mergekit's smoothing of both distributions, so that the logarithm never sees 0. */
    static final double SMOOTHING = 1e-8;
    /** The most rows whose KL is kept between passes: 2 MiB. */
    static final int MAX_KEPT_ROWS = 1 << 18;

    private final int maxKeptRows;

    public ArceeFusionKernel() {
        this(MAX_KEPT_ROWS);
    }

    /** @param maxKeptRows the most rows whose KL is kept between passes (tests lower it to reach the other path) */
    ArceeFusionKernel(int maxKeptRows) {
        this.maxKeptRows = maxKeptRows;
    }

    @Override
    public void merge(TensorInputs in, TensorParameters p, TensorOutput out) {
        long n = in.elements();
        if (n == 0) {
            return;
        }
        int baseIndex = in.baseIndex();
        int otherIndex = 1 - baseIndex;
        int row = (int) in.rowLength();
        long rows = n / row;
        Importance importance = new Importance(row, in.maxChunk(), rows <= maxKeptRows ? new double[(int) rows] : null);
        OrderStatistics quartiles = new OrderStatistics(n, OrderStatistics.quartileRank(n, 1),
                OrderStatistics.quartileRank(n, 3), OrderStatistics.quartileRank(n, 2));
        while (quartiles.needsPass()) {
            in.scan((first, len, v, off) -> quartiles.accept(
                    importance.of(first, v[otherIndex], v[baseIndex], off, len), 0, len));
            quartiles.endPass();
            importance.rowsKnown();
        }
        float q1 = quartiles.value(0);
        float q3 = quartiles.value(1);
        float median = quartiles.value(2);
        float iqr = q3 - q1;
        float threshold = median + 1.5f * iqr;
        float[] r = new float[in.maxChunk()];
        in.scan((first, len, v, off) -> {
            float[] x = v[otherIndex];
            float[] b = v[baseIndex];
            float[] imp = importance.of(first, x, b, off, len);
            for (int e = 0; e < len; e++) {
                double base = b[off + e];
                r[e] = imp[e] >= threshold ? (float) (base + ((double) x[off + e] - base)) : b[off + e];
            }
            out.write(r, 0, len);
        });
    }

    /** The importances of a chunk, from each row's KL divergence (kept between passes when there is room). */
    private static final class Importance {
        private final int row;
        private final double[] kept;
        private final RowDivergence divergence;
        private final float[] values;
        private boolean known;

        Importance(int row, int maxChunk, double[] kept) {
            this.row = row;
            this.kept = kept;
            this.divergence = new RowDivergence(row, SMOOTHING);
            this.values = new float[maxChunk];
        }

        /** Once a whole pass has run, the kept KLs serve later passes. */
        void rowsKnown() {
            known = kept != null;
        }

        /** {@code I[0, len)} of the chunk at element {@code first}, whose values sit at {@code off} in x and b. */
        float[] of(long first, float[] x, float[] b, int off, int len) {
            int firstRow = (int) (first / row);
            for (int start = 0, r = firstRow; start < len; start += row, r++) {
                double kl;
                if (known) {
                    kl = kept[r];
                } else {
                    kl = divergence.of(x, b, off + start);
                    if (kept != null) {
                        kept[r] = kl;
                    }
                }
                if (Simd.active()) {
                    ImportanceLanes.importances(x, b, off + start, row, kl, values, start);
                } else {
                    importancesScalar(x, b, off + start, row, kl, values, start);
                }
            }
            return values;
        }
    }

    /** The scalar form of {@link ImportanceLanes#importances}: same operations, same bits. */
    static void importancesScalar(float[] x, float[] b, int from, int count, double kl, float[] out, int at) {
        for (int j = 0; j < count; j++) {
            out[at + j] = (float) (Math.abs((double) x[from + j] - b[from + j]) * kl);
        }
    }
}
