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
        double epsilon = p.globalDouble("epsilon");
        Counts counts = new Counts(scan.blockLength());
        double[] lambda = new double[n];
        Arrays.fill(lambda, 1);
        if (rescaleUnique) {
            uniqueScales(scan, epsilon, p.globalDouble("r"), p.globalDouble("alpha"), counts, lambda);
        }
        double lines = p.linesScale();
        double[] sum = new double[scan.blockLength()];
        float[] r = new float[scan.blockLength()];
        scan.scanInputs((first, len, x, base, off) -> {
            counts.of(x, base, off, len, epsilon);
            double[] c = counts.changed;
            double[] u = counts.unique;
            double[] divisor = counts.divisor;
            Arrays.fill(sum, 0, len, 0);
            for (int k = 0; k < n; k++) {
                float[] xk = x[k];
                double unique = lambda[k];
                for (int e = 0; e < len; e++) {
                    double d = (double) xk[off + e] - base[off + e];
                    double term = u[e] * (d * unique) + (1 - u[e]) * (d / divisor[e]);
                    sum[e] += term * changed(d, epsilon);
                }
            }
            for (int e = 0; e < len; e++) {
                r[e] = (float) (base[off + e] + sum[e] * lines);
            }
            out.write(r, 0, len);
        });
    }

    /** 1 when {@code |d| > epsilon}, else 0 ({@code signum} of 0 is 0: a change of exactly ε is no change). */
    private static double changed(double d, double epsilon) {
        return Math.max(Math.signum(Math.abs(d) - epsilon), 0);
    }

    /** Per element of a block: how many models changed it, whether exactly one did, and {@code max(c, 1)}. */
    private static final class Counts {
        final double[] changed;
        final double[] unique;
        final double[] divisor;

        Counts(int block) {
            changed = new double[block];
            unique = new double[block];
            divisor = new double[block];
        }

        void of(float[][] x, float[] base, int off, int len, double epsilon) {
            Arrays.fill(changed, 0, len, 0);
            for (float[] xk : x) {
                for (int e = 0; e < len; e++) {
                    changed[e] += changed((double) xk[off + e] - base[off + e], epsilon);
                }
            }
            for (int e = 0; e < len; e++) {
                // c is a small whole number: 1 − min(|c − 1|, 1) is 1 for c = 1 and 0 otherwise.
                unique[e] = 1 - Math.min(Math.abs(changed[e] - 1), 1);
                divisor[e] = Math.max(changed[e], 1);
            }
        }
    }

    /** RAM+'s λᵢ, from one pass counting each model's unique and shared changes. */
    private static void uniqueScales(DeltaScan scan, double epsilon, double r, double alpha, Counts counts,
                                     double[] lambda) {
        int n = lambda.length;
        long[] unique = new long[n];
        long[] shared = new long[n];
        scan.scanInputs((first, len, x, base, off) -> {
            counts.of(x, base, off, len, epsilon);
            double[] c = counts.changed;
            double[] u = counts.unique;
            for (int k = 0; k < n; k++) {
                float[] xk = x[k];
                double ones = 0;
                double many = 0;
                for (int e = 0; e < len; e++) {
                    double mine = changed((double) xk[off + e] - base[off + e], epsilon);
                    ones += mine * u[e];
                    many += mine * Math.min(Math.max(c[e] - 1, 0), 1);
                }
                // Whole numbers below 2^53: exact in double.
                unique[k] += (long) ones;
                shared[k] += (long) many;
            }
        });
        for (int k = 0; k < n; k++) {
            double rho = shared[k] / Math.max(unique[k], epsilon);
            lambda[k] = 1 + r * Math.min(Math.max(rho, 0), alpha);
        }
    }
}
