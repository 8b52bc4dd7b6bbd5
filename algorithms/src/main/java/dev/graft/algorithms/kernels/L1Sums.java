package dev.graft.algorithms.kernels;

/**
 * Each model's {@code Σ |d[k][e]|} over a chunk, in double, the terms added in element order from +0: the sums of
 * the L1 rescale ({@link TaskVectorKernel}), two to four models in one pass.
 *
 * <p>Why one pass: a sum is a chain of dependent double additions, four cycles each, that no reordering may break
 * without changing its bits. Summed model after model, the chains run one at a time; summed together, element by
 * element, the models' chains overlap, each in its own register: for three models over 32 K-element chunks, 0.41
 * against 0.85 ns per element and model in a scratch loop on this project's 2-core machine. One loop per model
 * count from two to four; one model, or more than four, are summed model after model. The same additions in the
 * same order either way.
 */
final class L1Sums {
    private L1Sums() {
    }

    /** {@code out[k] = Σ_{e < len} |d[k][e]|}, added in element order from +0, for every model {@code k}. */
    static void of(float[][] d, int len, double[] out) {
        switch (d.length) {
            case 2 -> {
                float[] d0 = d[0];
                float[] d1 = d[1];
                double s0 = 0;
                double s1 = 0;
                for (int e = 0; e < len; e++) {
                    s0 += Math.abs(d0[e]);
                    s1 += Math.abs(d1[e]);
                }
                out[0] = s0;
                out[1] = s1;
            }
            case 3 -> {
                float[] d0 = d[0];
                float[] d1 = d[1];
                float[] d2 = d[2];
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                for (int e = 0; e < len; e++) {
                    s0 += Math.abs(d0[e]);
                    s1 += Math.abs(d1[e]);
                    s2 += Math.abs(d2[e]);
                }
                out[0] = s0;
                out[1] = s1;
                out[2] = s2;
            }
            case 4 -> {
                float[] d0 = d[0];
                float[] d1 = d[1];
                float[] d2 = d[2];
                float[] d3 = d[3];
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                for (int e = 0; e < len; e++) {
                    s0 += Math.abs(d0[e]);
                    s1 += Math.abs(d1[e]);
                    s2 += Math.abs(d2[e]);
                    s3 += Math.abs(d3[e]);
                }
                out[0] = s0;
                out[1] = s1;
                out[2] = s2;
                out[3] = s3;
            }
            default -> {
                // One model, or more than four: model after model, one chain at a time. Interleaved through
                // out[k] instead, the chains ran slower still (1.2–1.5 against 0.85 ns).
                for (int k = 0; k < d.length; k++) {
                    float[] dk = d[k];
                    double s0 = 0;
                    for (int e = 0; e < len; e++) {
                        s0 += Math.abs(dk[e]);
                    }
                    out[k] = s0;
                }
            }
        }
    }
}
