package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;

import java.util.Arrays;

/**
 * mergekit's {@code ram} and {@code ramplus_tl}. Per element, with {@code δᵢ = θᵢ − θ_b}:
 * {@code nᵢ = [|δᵢ| > ε]}, {@code c = Σ nᵢ}, {@code θ = θ_b + s·Σᵢ nᵢ·δᵢ·(c = 1 ? λᵢ : 1/c)}, where {@code s} is the
 * tensor's LiNeS scale and {@code λᵢ = 1} for {@code ram}. For {@code ramplus_tl},
 * {@code λᵢ = 1 + r·clamp(ρᵢ, 0, α)} with {@code ρᵢ = #{c > 1, nᵢ} / max(#{c = 1, nᵢ}, ε)}, counted over the whole
 * tensor in a first pass.
 *
 * <p>The deltas are the exact differences and every element's arithmetic runs in double, rounded once; the sum
 * runs over the models in order, each term divided by {@code c} as mergekit does.
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
        double[] count = new double[scan.blockLength()];
        double[] lambda = new double[n];
        Arrays.fill(lambda, 1);
        if (rescaleUnique) {
            uniqueScales(scan, epsilon, p.globalDouble("r"), p.globalDouble("alpha"), count, lambda);
        }
        double lines = p.linesScale();
        double[] sum = new double[scan.blockLength()];
        float[] r = new float[scan.blockLength()];
        scan.scanInputs((first, len, x, base, off) -> {
            changedCounts(x, base, off, len, epsilon, count);
            Arrays.fill(sum, 0, len, 0);
            for (int k = 0; k < n; k++) {
                float[] xk = x[k];
                double unique = lambda[k];
                for (int e = 0; e < len; e++) {
                    double d = (double) xk[off + e] - base[off + e];
                    double c = count[e];
                    double term = c == 1 ? d * unique : d / c;
                    sum[e] += Math.abs(d) > epsilon ? term : 0;
                }
            }
            for (int e = 0; e < len; e++) {
                r[e] = (float) (base[off + e] + sum[e] * lines);
            }
            out.write(r, 0, len);
        });
    }

    /** {@code count[0, len)}: how many models changed each element of the block. */
    private static void changedCounts(float[][] x, float[] base, int off, int len, double epsilon, double[] count) {
        Arrays.fill(count, 0, len, 0);
        for (float[] xk : x) {
            for (int e = 0; e < len; e++) {
                count[e] += Math.abs((double) xk[off + e] - base[off + e]) > epsilon ? 1 : 0;
            }
        }
    }

    /** RAM+'s λᵢ, from one pass counting each model's unique and shared changes. */
    private static void uniqueScales(DeltaScan scan, double epsilon, double r, double alpha, double[] count,
                                     double[] lambda) {
        int n = lambda.length;
        long[] unique = new long[n];
        long[] shared = new long[n];
        scan.scanInputs((first, len, x, base, off) -> {
            changedCounts(x, base, off, len, epsilon, count);
            for (int k = 0; k < n; k++) {
                float[] xk = x[k];
                long u = 0;
                long s = 0;
                for (int e = 0; e < len; e++) {
                    boolean changed = Math.abs((double) xk[off + e] - base[off + e]) > epsilon;
                    double c = count[e];
                    u += changed && c == 1 ? 1 : 0;
                    s += changed && c > 1 ? 1 : 0;
                }
                unique[k] += u;
                shared[k] += s;
            }
        });
        for (int k = 0; k < n; k++) {
            double rho = shared[k] / Math.max(unique[k], epsilon);
            lambda[k] = 1 + r * Math.min(Math.max(rho, 0), alpha);
        }
    }
}
