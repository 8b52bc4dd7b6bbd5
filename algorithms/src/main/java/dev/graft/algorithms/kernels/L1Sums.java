package dev.graft.algorithms.kernels;

/**
 * Each model's {@code Σ |d[k][e]|} over a chunk, in double, the terms added in element order from +0: the sums of
 * the L1 rescale ({@link TaskVectorKernel}), all models in one pass.
 *
 * <p>Why one pass: a sum is a chain of dependent double additions, four cycles each, that no reordering may break
 * without changing its bits. Summed model after model, the chains run one at a time; summed together, element by
 * element, the models' chains overlap, each in its own register. One loop per model count up to four; more models
 * take a loop over the models per element. The same additions in the same order either way.
 */
final class L1Sums {
    private L1Sums() {
    }

    /** {@code out[k] = Σ_{e < len} |d[k][e]|}, added in element order from +0, for every model {@code k}. */
    static void of(float[][] d, int len, double[] out) {
        switch (d.length) {
            case 1 -> {
                float[] d0 = d[0];
                double s0 = 0;
                for (int e = 0; e < len; e++) {
                    s0 += Math.abs(d0[e]);
                }
                out[0] = s0;
            }
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
                java.util.Arrays.fill(out, 0, d.length, 0);
                for (int e = 0; e < len; e++) {
                    for (int k = 0; k < d.length; k++) {
                        out[k] += Math.abs(d[k][e]);
                    }
                }
            }
        }
    }
}
