package dev.graft.algorithms.compress;

/**
 * Sums over a chunk in double, with four independent accumulators: one chain of dependent double additions runs
 * at one element per add latency (about 4 cycles); four interleaved chains let the adds overlap. The order of
 * additions is fixed, so results do not depend on anything but the data and the chunking.
 */
final class ChunkSums {
    private ChunkSums() {
    }

    /** Σ v[i] over {@code [0, count)}. */
    static double plain(float[] v, int count) {
        double a = 0;
        double b = 0;
        double c = 0;
        double d = 0;
        int i = 0;
        for (; i + 3 < count; i += 4) {
            a += v[i];
            b += v[i + 1];
            c += v[i + 2];
            d += v[i + 3];
        }
        for (; i < count; i++) {
            a += v[i];
        }
        return (a + b) + (c + d);
    }

    /** Σ |v[i]|. */
    static double abs(float[] v, int count) {
        double a = 0;
        double b = 0;
        double c = 0;
        double d = 0;
        int i = 0;
        for (; i + 3 < count; i += 4) {
            a += Math.abs(v[i]);
            b += Math.abs(v[i + 1]);
            c += Math.abs(v[i + 2]);
            d += Math.abs(v[i + 3]);
        }
        for (; i < count; i++) {
            a += Math.abs(v[i]);
        }
        return (a + b) + (c + d);
    }

    /** Σ v[i]². */
    static double squares(float[] v, int count) {
        double a = 0;
        double b = 0;
        double c = 0;
        double d = 0;
        int i = 0;
        for (; i + 3 < count; i += 4) {
            a += (double) v[i] * v[i];
            b += (double) v[i + 1] * v[i + 1];
            c += (double) v[i + 2] * v[i + 2];
            d += (double) v[i + 3] * v[i + 3];
        }
        for (; i < count; i++) {
            a += (double) v[i] * v[i];
        }
        return (a + b) + (c + d);
    }
}
