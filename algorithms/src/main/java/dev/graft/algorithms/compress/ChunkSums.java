package dev.graft.algorithms.compress;

import dev.graft.algorithms.simd.Simd;
import dev.graft.algorithms.simd.SumLanes;

/**
 * Sums over a chunk in double, in one read of the data, with independent accumulators per sum: one chain of
 * dependent double additions runs at one element per add latency (about 4 cycles); interleaved chains let the adds
 * overlap. The order of additions is fixed, so results depend only on the data and the chunking.
 */
final class ChunkSums {
    private ChunkSums() {
    }

    /**
     * Adds Σ v[i] to {@code out[0]} and Σ v[i]² to {@code out[1]}, over {@code [from, from + count)}: element
     * {@code from + i} goes to accumulator {@code i % 8} (squares with a fused multiply-add), and the eight are
     * added pairwise. The vector form ({@link SumLanes}) and the scalar one follow that order, so both give the same
     * bits.
     */
    static void addSumAndSquares(float[] v, int from, int count, double[] out) {
        double[] sums = new double[SumLanes.ACCUMULATORS];
        double[] squares = new double[SumLanes.ACCUMULATORS];
        if (Simd.active()) {
            SumLanes.addSumAndSquares(v, from, count, sums, squares);
        } else {
            addSumAndSquaresScalar(v, from, count, sums, squares);
        }
        out[0] += pairwise(sums);
        out[1] += pairwise(squares);
    }

    /** The scalar form of {@link SumLanes#addSumAndSquares}, same order, same results. */
    static void addSumAndSquaresScalar(float[] v, int from, int count, double[] sums, double[] squares) {
        for (int i = 0; i < count; i++) {
            double x = v[from + i];
            int a = i & (SumLanes.ACCUMULATORS - 1);
            sums[a] += x;
            squares[a] = Math.fma(x, x, squares[a]);
        }
    }

    private static double pairwise(double[] a) {
        return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
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
