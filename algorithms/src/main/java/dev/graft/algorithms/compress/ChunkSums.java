package dev.graft.algorithms.compress;

/**
 * Sums over a chunk in double, in one read of the data, with two independent accumulators per sum: one chain of
 * dependent double additions runs at one element per add latency (about 4 cycles); interleaved chains let the adds
 * overlap. The order of additions is fixed, so results depend only on the data and the chunking.
 */
final class ChunkSums {
    private ChunkSums() {
    }

    /** Adds Σ v[i] to {@code out[0]} and Σ v[i]² to {@code out[1]}, over {@code [from, from + count)}. */
    static void addSumAndSquares(float[] v, int from, int count, double[] out) {
        double s0 = 0;
        double s1 = 0;
        double q0 = 0;
        double q1 = 0;
        int i = from;
        int end = from + count;
        for (; i + 1 < end; i += 2) {
            double a = v[i];
            double b = v[i + 1];
            s0 += a;
            s1 += b;
            q0 += a * a;
            q1 += b * b;
        }
        if (i < end) {
            double a = v[i];
            s0 += a;
            q0 += a * a;
        }
        out[0] += s0 + s1;
        out[1] += q0 + q1;
    }

    /** Adds Σ |v[i]| to {@code out[0]} and Σ v[i]² to {@code out[1]}, over {@code [0, count)}. */
    static void addAbsAndSquares(float[] v, int count, double[] out) {
        double s0 = 0;
        double s1 = 0;
        double q0 = 0;
        double q1 = 0;
        int i = 0;
        for (; i + 1 < count; i += 2) {
            double a = v[i];
            double b = v[i + 1];
            s0 += Math.abs(a);
            s1 += Math.abs(b);
            q0 += a * a;
            q1 += b * b;
        }
        if (i < count) {
            double a = v[i];
            s0 += Math.abs(a);
            q0 += a * a;
        }
        out[0] += s0 + s1;
        out[1] += q0 + q1;
    }
}
