package dev.graft.formats.lora;

import dev.graft.formats.tensor.Tensor;

/**
 * {@code scale · B·A} laid out as the stored weight, produced a band of rows at a time so that a delta as large as
 * the weight itself never exists in memory: only the factors ({@code r × (out + in)} floats) do.
 *
 * <p>Stored row {@code i} is {@code Σₖ L[i,k]·R[k,:]}, with {@code L = B}, {@code R = A} for
 * {@link FactorLayout#LINEAR} and {@code L = Aᵀ}, {@code R = Bᵀ} for {@link FactorLayout#TRANSPOSED}. The inner
 * loop is an axpy over a contiguous row, which the JIT vectorises.
 */
final class LowRankProduct {
    private final float[] left;
    private final float[] right;
    private final int rank;
    private final int rows;
    private final int cols;

    private LowRankProduct(float[] left, float[] right, int rank, int rows, int cols) {
        this.left = left;
        this.right = right;
        this.rank = rank;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * @param a      {@code lora_A}, {@code [r, in]}
     * @param b      {@code lora_B}, {@code [out, r]}
     * @param scale  multiplies the product (PEFT's scaling times the user's weight)
     * @param layout how the stored weight relates to {@code B·A}
     */
    static LowRankProduct of(Tensor a, Tensor b, double scale, FactorLayout layout) {
        int r = (int) a.shape().dim(0);
        int in = (int) a.shape().dim(1);
        int out = (int) b.shape().dim(0);
        float[] fa = a.toFloatArray();
        float[] fb = b.toFloatArray();
        float s = (float) scale;
        if (layout == FactorLayout.LINEAR) {
            for (int i = 0; i < fb.length; i++) {
                fb[i] *= s;
            }
            return new LowRankProduct(fb, fa, r, out, in);
        }
        float[] left = new float[in * r];
        for (int k = 0; k < r; k++) {
            for (int i = 0; i < in; i++) {
                left[i * r + k] = fa[k * in + i] * s;
            }
        }
        float[] right = new float[r * out];
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < r; k++) {
                right[k * out + o] = fb[o * r + k];
            }
        }
        return new LowRankProduct(left, right, r, in, out);
    }

    /** Rows of the stored weight. */
    int rows() {
        return rows;
    }

    /** Columns of the stored weight. */
    int cols() {
        return cols;
    }

    /** Adds rows {@code first … first+count-1} of the product to {@code dst} (row-major, {@code count × cols}). */
    void addRows(int first, int count, float[] dst) {
        for (int i = 0; i < count; i++) {
            int row = first + i;
            int off = i * cols;
            for (int k = 0; k < rank; k++) {
                float l = left[row * rank + k];
                if (l == 0) {
                    continue;
                }
                int rOff = k * cols;
                for (int c = 0; c < cols; c++) {
                    dst[off + c] += l * right[rOff + c];
                }
            }
        }
    }
}
