package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;

import java.util.Arrays;

/**
 * mergekit's {@code ram} and {@code ramplus_tl}. Per element, with {@code δᵢ = θᵢ − θ_b}:
 * {@code nᵢ = [|δᵢ| > ε]}, {@code c = Σ nᵢ}, {@code θ = θ_b + s·Σᵢ nᵢ·(c = 1 ? δᵢ·λᵢ : δᵢ/c)}, where {@code s} is
 * the tensor's LiNeS scale and {@code λᵢ = 1} for {@code ram}. For {@code ramplus_tl},
 * {@code λᵢ = 1 + r·clamp(ρᵢ, 0, α)} with {@code ρᵢ = #{c > 1, nᵢ} / max(#{c = 1, nᵢ}, ε)}, counted over the whole
 * tensor in a first pass.
 *
 * <p>The deltas are the exact differences and every element's arithmetic runs in double, rounded once; the sum
 * runs over the models in order, each term divided by {@code c} as mergekit does. The loops select with 0/1
 * multipliers, not branches: which models changed an element is random, and a branch on it mispredicts.
 */
public final class RamKernel implements TensorKernel {
    private final boolean rescaleUnique;

    /** @param rescaleUnique whether unique changes are scaled by λᵢ ({@code ramplus_tl}) */
    public RamKernel(boolean rescaleUnique) {
        this.rescaleUnique = rescaleUnique;
    }

    @Override
    public void merge(TensorInputs in, TensorParameters p, TensorOutput out) {
        DeltaScan scan = new DeltaScan(in);
        int n = scan.modelCount();
        int block = scan.blockLength();
        double epsilon = p.globalDouble("epsilon");
        double[][] d = new double[n][block];
        double[][] changed = new double[n][block];
        Counts counts = new Counts(block);
        double[] lambda = new double[n];
        Arrays.fill(lambda, 1);
        if (rescaleUnique) {
            uniqueScales(scan, epsilon, p.globalDouble("r"), p.globalDouble("alpha"), d, changed, counts, lambda);
        }
        double lines = p.linesScale();
        double[] sum = new double[block];
        float[] r = new float[block];
        scan.scanInputs((first, len, x, base, off) -> {
            DeltaScan.exactDeltas(x, base, off, len, d);
            counts.of(d, changed, len, epsilon);
            Arrays.fill(sum, 0, len, 0);
            for (int k = 0; k < n; k++) {
                addTerms(d[k], changed[k], counts, lambda[k], len, sum);
            }
            for (int e = 0; e < len; e++) {
                r[e] = (float) (base[off + e] + sum[e] * lines);
            }
            out.write(r, 0, len);
        });
    }

    /** {@code sum += nᵢ·(c = 1 ? δᵢ·λᵢ : δᵢ/c)} for one model, selecting with 0/1 multipliers. */
    private static void addTerms(double[] d, double[] changed, Counts counts, double unique, int len, double[] sum) {
        double[] u = counts.unique;
        double[] divisor = counts.divisor;
        for (int e = 0; e < len; e++) {
            double term = u[e] * (d[e] * unique) + (1 - u[e]) * (d[e] / divisor[e]);
            sum[e] += term * changed[e];
        }
    }

    /** Per element of a block: how many models changed it, whether exactly one or several did, and max(c, 1). */
    private static final class Counts {
        final double[] count;
        final double[] unique;
        final double[] shared;
        final double[] divisor;

        Counts(int block) {
            count = new double[block];
            unique = new double[block];
            shared = new double[block];
            divisor = new double[block];
        }

        /** Fills {@code changed[k][0, len)} with each model's nᵢ, then the per-element counts. */
        void of(double[][] d, double[][] changed, int len, double epsilon) {
            Arrays.fill(count, 0, len, 0);
            for (int k = 0; k < d.length; k++) {
                changes(d[k], len, epsilon, changed[k]);
                add(changed[k], len, count);
            }
            for (int e = 0; e < len; e++) {
                // c is a small whole number: 1 − min(|c − 1|, 1) is 1 for c = 1 and 0 otherwise.
                unique[e] = 1 - Math.min(Math.abs(count[e] - 1), 1);
                shared[e] = Math.min(Math.max(count[e] - 1, 0), 1);
                divisor[e] = Math.max(count[e], 1);
            }
        }

        /** {@code n[e] = 1} where {@code |d[e]| > ε}, else 0 ({@code signum} of 0 is 0: a change of ε is none). */
        private static void changes(double[] d, int len, double epsilon, double[] n) {
            for (int e = 0; e < len; e++) {
                n[e] = Math.max(Math.signum(Math.abs(d[e]) - epsilon), 0);
            }
        }

        private static void add(double[] v, int len, double[] sum) {
            for (int e = 0; e < len; e++) {
                sum[e] += v[e];
            }
        }
    }

    /** RAM+'s λᵢ, from one pass counting each model's unique and shared changes. */
    private static void uniqueScales(DeltaScan scan, double epsilon, double r, double alpha, double[][] d,
                                     double[][] changed, Counts counts, double[] lambda) {
        int n = lambda.length;
        long[] unique = new long[n];
        long[] shared = new long[n];
        scan.scanInputs((first, len, x, base, off) -> {
            DeltaScan.exactDeltas(x, base, off, len, d);
            counts.of(d, changed, len, epsilon);
            for (int k = 0; k < n; k++) {
                unique[k] += countBoth(changed[k], counts.unique, len);
                shared[k] += countBoth(changed[k], counts.shared, len);
            }
        });
        for (int k = 0; k < n; k++) {
            double rho = shared[k] / Math.max(unique[k], epsilon);
            lambda[k] = 1 + r * Math.min(Math.max(rho, 0), alpha);
        }
    }

    /**
     * How many {@code e < len} have {@code a[e] = b[e] = 1}, for arrays of 0s and 1s. Whole numbers add exactly in
     * any order, so four running sums hide the latency of one (a single sum took 4 ns per element and model).
     */
    private static long countBoth(double[] a, double[] b, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int e = 0;
        for (; e + 4 <= len; e += 4) {
            s0 += a[e] * b[e];
            s1 += a[e + 1] * b[e + 1];
            s2 += a[e + 2] * b[e + 2];
            s3 += a[e + 3] * b[e + 3];
        }
        for (; e < len; e++) {
            s0 += a[e] * b[e];
        }
        return (long) (s0 + s1 + s2 + s3);
    }
}
