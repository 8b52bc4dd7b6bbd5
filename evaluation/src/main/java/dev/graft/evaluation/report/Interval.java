package dev.graft.evaluation.report;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * A mean with its two-sided 95 % Student-t confidence interval over independent replicates (seeds).
 *
 * @param mean the sample mean
 * @param half the interval's half-width ({@code NaN} for one replicate)
 * @param n    the number of replicates
 */
public record Interval(double mean, double half, int n) {
    /** The interval of {@code values}. */
    public static Interval of(double[] values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("an interval needs at least one value");
        }
        double mean = mean(values);
        if (n == 1) {
            return new Interval(mean, Double.NaN, 1);
        }
        return new Interval(mean, t975(n) * sd(values) / Math.sqrt(n), n);
    }

    /** The sample mean of {@code values}, summed in order. */
    static double mean(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        return mean / values.length;
    }

    /** The sample standard deviation of {@code values} (n − 1 in the denominator; two or more values). */
    static double sd(double[] values) {
        double mean = mean(values);
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (values.length - 1));
    }

    /** Student's t quantile at 0.975 for {@code n} replicates (n − 1 degrees of freedom). */
    static double t975(int n) {
        return new TDistribution(null, n - 1).inverseCumulativeProbability(0.975);
    }

    /** The mean and half-width with {@code decimals} decimals, unscaled ({@code "0.089 ± 0.004"}). */
    public String plain(int decimals) {
        String f = "%." + decimals + "f";
        return Double.isNaN(half) ? String.format(f, mean) : String.format(f + " ± " + f, mean, half);
    }

    /** {@code "0.912 ± 0.013"} in percent with one decimal, {@code "91.2 ± 1.3"}. */
    public String percent() {
        return Double.isNaN(half) ? String.format("%.1f", 100 * mean)
                : String.format("%.1f ± %.1f", 100 * mean, 100 * half);
    }
}
