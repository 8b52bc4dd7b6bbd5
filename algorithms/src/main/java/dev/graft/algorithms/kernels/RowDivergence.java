package dev.graft.algorithms.kernels;

import dev.graft.algorithms.simd.DivergenceLanes;
import dev.graft.algorithms.simd.ExpLog;
import dev.graft.algorithms.simd.Simd;

import java.util.Arrays;

/**
 * {@code KL(p ‖ q) = Σ_j pⱼ·ln(pⱼ/qⱼ)} of one row, with {@code p = softmax(x) + ε} and {@code q = softmax(b) + ε},
 * in float64, clamped at 0; NaN when a row holds a NaN or an infinity. The operations and their order are fixed: {@code eⱼ = exp(xⱼ − max x)}
 * ({@link ExpLog#exp}) and {@code Z = Σ eⱼ} in eight interleaved accumulators added pairwise, then
 * {@code pⱼ = fma(eⱼ, 1/Z, ε)} (likewise {@code qⱼ}) and the sum of {@code fma(pⱼ, ln(pⱼ/qⱼ), ·)}
 * ({@link ExpLog#log}) the same way. The vector form ({@link DivergenceLanes}, when {@link Simd#ENABLED}) follows
 * that order, so the result does not depend on whether the Vector API is there, nor on the machine.
 *
 * <p>Holds a row's scratch; one instance per thread.
 */
final class RowDivergence {
    private static final int ACCUMULATORS = DivergenceLanes.ACCUMULATORS;

    private final int row;
    private final double eps;
    private final double[] expX;
    private final double[] expB;
    private final double[] sums = new double[ACCUMULATORS];

    /** @param row the row length; {@code eps} the smoothing added to both softmaxes */
    RowDivergence(int row, double eps) {
        this.row = row;
        this.eps = eps;
        this.expX = new double[row];
        this.expB = new double[row];
    }

    /** The divergence of the rows at {@code x[from, from + row)} and {@code b[from, from + row)}. */
    double of(float[] x, float[] b, int from) {
        double invX = 1 / exponentials(x, from, expX);
        double invB = 1 / exponentials(b, from, expB);
        if (Double.isNaN(invX + invB)) {
            // A NaN or an infinity in a row makes its sum NaN; ExpLog.log is not for NaN.
            return Double.NaN;
        }
        Arrays.fill(sums, 0);
        if (Simd.active()) {
            DivergenceLanes.divergence(expX, expB, row, invX, invB, eps, sums);
        } else {
            divergenceScalar(expX, expB, row, invX, invB, eps, sums);
        }
        return Math.max(pairwise(sums), 0);
    }

    /** Fills {@code e} with the row's {@code exp(v − max)}; returns their sum. */
    private double exponentials(float[] v, int from, double[] e) {
        Arrays.fill(sums, 0);
        if (Simd.active()) {
            DivergenceLanes.exponentials(v, from, row, DivergenceLanes.max(v, from, row), e, sums);
        } else {
            exponentialsScalar(v, from, row, max(v, from, row), e, sums);
        }
        return pairwise(sums);
    }

    private static float max(float[] v, int from, int count) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < count; j++) {
            max = Math.max(max, v[from + j]);
        }
        return max;
    }

    /** The scalar form of {@link DivergenceLanes#exponentials}: same operations, same order, same bits. */
    static void exponentialsScalar(float[] v, int from, int count, float max, double[] e, double[] sums) {
        for (int i = 0; i < count; i++) {
            e[i] = ExpLog.exp((double) v[from + i] - max);
            sums[i % ACCUMULATORS] += e[i];
        }
    }

    /** The scalar form of {@link DivergenceLanes#divergence}: same operations, same order, same bits. */
    static void divergenceScalar(double[] ex, double[] eb, int count, double invX, double invB, double eps,
                                 double[] sums) {
        for (int i = 0; i < count; i++) {
            double p = Math.fma(ex[i], invX, eps);
            double q = Math.fma(eb[i], invB, eps);
            sums[i % ACCUMULATORS] = Math.fma(p, ExpLog.log(p / q), sums[i % ACCUMULATORS]);
        }
    }

    private static double pairwise(double[] a) {
        return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
    }
}
