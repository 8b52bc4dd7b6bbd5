package dev.graft.algorithms.compress;

/**
 * Sums over a chunk in double, in one read of the data, with independent accumulators per sum: one chain of
 * dependent double additions runs at one element per add latency (about 4 cycles); interleaved chains let the adds
 * overlap. The order of additions is fixed, so results depend only on the data and the chunking.
 */
final class ChunkSums {
    private ChunkSums() {
    }

    /** Adds Σ v[i] to {@code out[0]} and Σ v[i]² to {@code out[1]}, over {@code [from, from + count)}. */
    static void addSumAndSquares(float[] v, int from, int count, double[] out) {
        // Four chains per sum: ComPEFT's first pass spends this loop's time on top of reading the delta, and two
        // chains still left it waiting on add latency.
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double q0 = 0;
        double q1 = 0;
        double q2 = 0;
        double q3 = 0;
        int i = from;
        int end = from + count;
        for (; i + 3 < end; i += 4) {
            double a = v[i];
            double b = v[i + 1];
            double c = v[i + 2];
            double d = v[i + 3];
            s0 += a;
            s1 += b;
            s2 += c;
            s3 += d;
            q0 += a * a;
            q1 += b * b;
            q2 += c * c;
            q3 += d * d;
        }
        for (; i < end; i++) {
            double a = v[i];
            s0 += a;
            q0 += a * a;
        }
        out[0] += (s0 + s1) + (s2 + s3);
        out[1] += (q0 + q1) + (q2 + q3);
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
