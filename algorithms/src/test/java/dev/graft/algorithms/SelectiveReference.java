package dev.graft.algorithms;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Whole-tensor reference implementations of {@code sce}, {@code ram}, {@code ramplus_tl}, {@code nearswap} and
 * {@code arcee_fusion}, written from the formulas in docs/methods/ with no streaming: every array in memory, sorts
 * instead of selections, double arithmetic rounded once to float32 as the pages define it. The merges under test
 * share no code with these.
 */
public final class SelectiveReference {
    private SelectiveReference() {
    }

    /** δ as exact doubles: {@code d[i][j] = models[i][j] − base[j]}. */
    private static double[][] deltas(float[] base, float[][] models) {
        double[][] d = new double[models.length][base.length];
        for (int i = 0; i < models.length; i++) {
            for (int j = 0; j < base.length; j++) {
                d[i][j] = (double) models[i][j] - base[j];
            }
        }
        return d;
    }

    /** {@code sce} with the given {@code select_topk} and LiNeS scale. */
    public static float[] sce(float[] base, float[][] models, double selectTopk, double lines) {
        int n = base.length;
        int m = models.length;
        double[][] d = deltas(base, models);
        if (selectTopk < 1) {
            float[] variance = new float[n];
            long nonzero = 0;
            for (int j = 0; j < n; j++) {
                double mean = 0;
                for (int i = 0; i < m; i++) {
                    mean += d[i][j];
                }
                mean /= m;
                double s = 0;
                for (int i = 0; i < m; i++) {
                    s += (d[i][j] - mean) * (d[i][j] - mean);
                }
                variance[j] = (float) (s / m);
                nonzero += variance[j] != 0 ? 1 : 0;
            }
            long k = selectTopk <= 0 ? 0 : (long) Math.floor(nonzero * selectTopk);
            // A stable sort by descending variance: equal variances keep ascending index order.
            Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble((Integer j) -> variance[j]).reversed());
            boolean[] keep = new boolean[n];
            for (int r = 0; r < k; r++) {
                keep[order[r]] = true;
            }
            for (double[] di : d) {
                for (int j = 0; j < n; j++) {
                    di[j] = keep[j] ? di[j] : 0;
                }
            }
        }
        double[] w = new double[m];
        double total = 0;
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += d[i][j] * d[i][j];
            }
            w[i] = s / n;
            total += w[i];
        }
        for (int i = 0; i < m; i++) {
            w[i] = Math.abs(total) < 1e-6 ? 1.0 / m : w[i] / total;
        }
        float[] out = new float[n];
        for (int j = 0; j < n; j++) {
            double vote = 0;
            for (int i = 0; i < m; i++) {
                vote += d[i][j];
            }
            double elected = vote >= 0 ? 1 : -1;
            double mixed = 0;
            double divisor = 0;
            for (int i = 0; i < m; i++) {
                if (Math.signum(d[i][j]) == elected) {
                    mixed += d[i][j] * w[i];
                    divisor += w[i];
                }
            }
            out[j] = (float) (base[j] + mixed / Math.max(divisor, 1e-6) * lines);
        }
        return out;
    }

    /** {@code ram} ({@code plus} false; r and alpha unused) or {@code ramplus_tl}. */
    public static float[] ram(float[] base, float[][] models, boolean plus, double r, double alpha, double epsilon,
                              double lines) {
        int n = base.length;
        int m = models.length;
        double[][] d = deltas(base, models);
        int[] changedBy = new int[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                changedBy[j] += Math.abs(d[i][j]) > epsilon ? 1 : 0;
            }
        }
        double[] lambda = new double[m];
        for (int i = 0; i < m; i++) {
            long unique = 0;
            long shared = 0;
            for (int j = 0; j < n; j++) {
                if (Math.abs(d[i][j]) > epsilon) {
                    unique += changedBy[j] == 1 ? 1 : 0;
                    shared += changedBy[j] > 1 ? 1 : 0;
                }
            }
            double rho = shared / Math.max(unique, epsilon);
            lambda[i] = plus ? 1 + r * Math.min(Math.max(rho, 0), alpha) : 1;
        }
        float[] out = new float[n];
        for (int j = 0; j < n; j++) {
            double merged = 0;
            for (int i = 0; i < m; i++) {
                if (Math.abs(d[i][j]) > epsilon) {
                    merged += changedBy[j] == 1 ? d[i][j] * lambda[i] : d[i][j] / changedBy[j];
                }
            }
            out[j] = (float) (base[j] + merged * lines);
        }
        return out;
    }

    /** {@code nearswap} from {@code base} toward {@code other}. */
    public static float[] nearswap(float[] base, float[] other, double t) {
        float[] out = new float[base.length];
        for (int j = 0; j < base.length; j++) {
            double distance = Math.max(Math.abs((double) base[j] - other[j]), 1e-6);
            double w = Math.clamp(t / distance, 0.0, 1.0);
            out[j] = (float) (w * other[j] + (1 - w) * base[j]);
        }
        return out;
    }

    /** The importances {@code |Δ|·KL_row} of {@code arcee_fusion}, float32, rows of {@code rowLength}. */
    public static float[] importance(float[] base, float[] other, int rowLength) {
        int n = base.length;
        float[] importance = new float[n];
        for (int start = 0; start < n; start += rowLength) {
            double[] p = softmax(other, start, rowLength);
            double[] q = softmax(base, start, rowLength);
            double kl = 0;
            for (int j = 0; j < rowLength; j++) {
                double pj = p[j] + 1e-8;
                double qj = q[j] + 1e-8;
                kl += pj * Math.log(pj / qj);
            }
            kl = Math.max(kl, 0);
            for (int j = start; j < start + rowLength; j++) {
                importance[j] = (float) (Math.abs((double) other[j] - base[j]) * kl);
            }
        }
        return importance;
    }

    /** The threshold {@code Q₂ + 1.5·(Q₃ − Q₁)} in float32 over the sorted importances. */
    public static float threshold(float[] importance) {
        float[] sorted = importance.clone();
        Arrays.sort(sorted);
        int last = sorted.length - 1;
        float q1 = sorted[(int) Math.floor(0.25 * last)];
        float median = sorted[(int) Math.floor(0.5 * last)];
        float q3 = sorted[(int) Math.floor(0.75 * last)];
        return median + 1.5f * (q3 - q1);
    }

    /** {@code arcee_fusion}: the other model's value where its importance reaches the threshold, else the base's. */
    public static float[] arceeFusion(float[] base, float[] other, int rowLength) {
        float[] importance = importance(base, other, rowLength);
        float threshold = threshold(importance);
        float[] out = new float[base.length];
        for (int j = 0; j < base.length; j++) {
            out[j] = importance[j] >= threshold ? (float) (base[j] + ((double) other[j] - base[j])) : base[j];
        }
        return out;
    }

    private static double[] softmax(float[] v, int from, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = from; j < from + length; j++) {
            max = Math.max(max, v[j]);
        }
        double[] e = new double[length];
        double sum = 0;
        for (int j = 0; j < length; j++) {
            e[j] = Math.exp(v[from + j] - max);
            sum += e[j];
        }
        for (int j = 0; j < length; j++) {
            e[j] /= sum;
        }
        return e;
    }
}
