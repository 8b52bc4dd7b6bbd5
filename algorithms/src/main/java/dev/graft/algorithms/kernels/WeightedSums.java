package dev.graft.algorithms.kernels;

/**
 * The per-element weighted sums of the linear merges, written element by element with the running sum in a
 * register, so that each element's float operations run in the class formulas' order and C2 vectorises the loop.
 *
 * <p>Why not model by model over the arrays: a loop that adds into {@code sum[e]} while it reads
 * {@code x[offset + e]} is one C2 cannot prove free of overlap (the two arrays could be one), so it stays scalar:
 * 2.6 ns per element for three models against 0.3 ns for the element-outer form, measured in a scratch loop over
 * 16,384-element chunks on this project's 2-core development machine (JDK 25). Up to four models get a loop each;
 * more models take a scalar loop over the models per element, the same operations in the same order.
 */
final class WeightedSums {
    private WeightedSums() {
    }

    /**
     * Model soups: {@code r[e] = (0 + w₀·x₀[off + e] + w₁·x₁[off + e] + …) / divisor} for {@code e < len}, the
     * terms added in model order.
     */
    static void soup(float[][] x, float[] w, int off, int len, float divisor, float[] r) {
        switch (x.length) {
            case 1 -> {
                float[] x0 = x[0];
                float w0 = w[0];
                for (int e = 0; e < len; e++) {
                    float m = 0f;
                    m += w0 * x0[off + e];
                    r[e] = m / divisor;
                }
            }
            case 2 -> {
                float[] x0 = x[0];
                float[] x1 = x[1];
                float w0 = w[0];
                float w1 = w[1];
                for (int e = 0; e < len; e++) {
                    float m = 0f;
                    m += w0 * x0[off + e];
                    m += w1 * x1[off + e];
                    r[e] = m / divisor;
                }
            }
            case 3 -> {
                float[] x0 = x[0];
                float[] x1 = x[1];
                float[] x2 = x[2];
                float w0 = w[0];
                float w1 = w[1];
                float w2 = w[2];
                for (int e = 0; e < len; e++) {
                    float m = 0f;
                    m += w0 * x0[off + e];
                    m += w1 * x1[off + e];
                    m += w2 * x2[off + e];
                    r[e] = m / divisor;
                }
            }
            case 4 -> {
                float[] x0 = x[0];
                float[] x1 = x[1];
                float[] x2 = x[2];
                float[] x3 = x[3];
                float w0 = w[0];
                float w1 = w[1];
                float w2 = w[2];
                float w3 = w[3];
                for (int e = 0; e < len; e++) {
                    float m = 0f;
                    m += w0 * x0[off + e];
                    m += w1 * x1[off + e];
                    m += w2 * x2[off + e];
                    m += w3 * x3[off + e];
                    r[e] = m / divisor;
                }
            }
            default -> {
                for (int e = 0; e < len; e++) {
                    float m = 0f;
                    for (int k = 0; k < x.length; k++) {
                        m += w[k] * x[k][off + e];
                    }
                    r[e] = m / divisor;
                }
            }
        }
    }

    /**
     * Task arithmetic from the inputs: with {@code b = base[off + e]},
     * {@code r[e] = b + ((0 + w₀·(x₀[off + e] − b) + w₁·(x₁[off + e] − b) + …) / div)·factor} for
     * {@code e < len}, the terms added in model order.
     */
    static void taskVectors(float[][] x, float[] w, float[] base, int off, int len, float div, float factor, float[] r) {
        switch (x.length) {
            case 1 -> {
                float[] x0 = x[0];
                float w0 = w[0];
                for (int e = 0; e < len; e++) {
                    float b = base[off + e];
                    float m = 0f;
                    m += w0 * (x0[off + e] - b);
                    r[e] = b + (m / div) * factor;
                }
            }
            case 2 -> {
                float[] x0 = x[0];
                float[] x1 = x[1];
                float w0 = w[0];
                float w1 = w[1];
                for (int e = 0; e < len; e++) {
                    float b = base[off + e];
                    float m = 0f;
                    m += w0 * (x0[off + e] - b);
                    m += w1 * (x1[off + e] - b);
                    r[e] = b + (m / div) * factor;
                }
            }
            case 3 -> {
                float[] x0 = x[0];
                float[] x1 = x[1];
                float[] x2 = x[2];
                float w0 = w[0];
                float w1 = w[1];
                float w2 = w[2];
                for (int e = 0; e < len; e++) {
                    float b = base[off + e];
                    float m = 0f;
                    m += w0 * (x0[off + e] - b);
                    m += w1 * (x1[off + e] - b);
                    m += w2 * (x2[off + e] - b);
                    r[e] = b + (m / div) * factor;
                }
            }
            case 4 -> {
                float[] x0 = x[0];
                float[] x1 = x[1];
                float[] x2 = x[2];
                float[] x3 = x[3];
                float w0 = w[0];
                float w1 = w[1];
                float w2 = w[2];
                float w3 = w[3];
                for (int e = 0; e < len; e++) {
                    float b = base[off + e];
                    float m = 0f;
                    m += w0 * (x0[off + e] - b);
                    m += w1 * (x1[off + e] - b);
                    m += w2 * (x2[off + e] - b);
                    m += w3 * (x3[off + e] - b);
                    r[e] = b + (m / div) * factor;
                }
            }
            default -> {
                for (int e = 0; e < len; e++) {
                    float b = base[off + e];
                    float m = 0f;
                    for (int k = 0; k < x.length; k++) {
                        m += w[k] * (x[k][off + e] - b);
                    }
                    r[e] = b + (m / div) * factor;
                }
            }
        }
    }
}
