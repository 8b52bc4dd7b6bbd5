package dev.graft.evaluation.llama;

import dev.graft.algorithms.simd.Simd;

import java.util.Arrays;

/**
 * {@code nn.Linear} without bias on consecutive positions, {@code y = W·x} with {@code W} row-major
 * {@code [out, in]}, and its backward pass. Plain loops over four positions at a time, so that each weight read
 * serves four of them; docs/benchmarks.md compares them with the linalg backend at the evaluation's sizes.
 * Each output is summed over {@code in} in ascending order whatever the number of positions, so running positions
 * one by one (decoding) or all at once gives the same bits; {@link LinearVectors} runs the same sums in vectors
 * where the incubating Vector API is there.
 */
final class Linear {
    private static final int BLOCK = 4;
    /** Whether {@link LinearVectors} runs the loops it has (same bits either way). */
    private static final boolean VECTORS = Simd.ENABLED;

    private Linear() {
    }

    /**
     * {@code y[yOff + r·out + o] = Σ_i W[o, i] · x[xOff + r·in + i]} for {@code r < rows}, {@code o < out}, read from
     * the transposed weights {@code wt = Wᵀ} ({@code [in, out]}) as sums of their rows, loops the JIT vectorises.
     */
    static void apply(double[] wt, int out, int in, double[] x, int xOff, double[] y, int yOff, int rows) {
        Arrays.fill(y, yOff, yOff + rows * out, 0);
        int r = 0;
        for (; r + BLOCK <= rows; r += BLOCK) {
            int x0 = xOff + r * in;
            int y0 = yOff + r * out;
            int y1 = y0 + out;
            int y2 = y1 + out;
            int y3 = y2 + out;
            int from = VECTORS ? LinearVectors.apply4(wt, out, in, x, x0, y, y0) : 0;
            for (int i = 0; i < in; i++) {
                double a0 = x[x0 + i];
                double a1 = x[x0 + in + i];
                double a2 = x[x0 + 2 * in + i];
                double a3 = x[x0 + 3 * in + i];
                int row = i * out;
                for (int o = from; o < out; o++) {
                    double wv = wt[row + o];
                    y[y0 + o] += a0 * wv;
                    y[y1 + o] += a1 * wv;
                    y[y2 + o] += a2 * wv;
                    y[y3 + o] += a3 * wv;
                }
            }
        }
        for (; r < rows; r++) {
            int x0 = xOff + r * in;
            int y0 = yOff + r * out;
            int from = VECTORS ? LinearVectors.apply1(wt, out, in, x, x0, y, y0) : 0;
            for (int i = 0; i < in; i++) {
                double a0 = x[x0 + i];
                int row = i * out;
                for (int o = from; o < out; o++) {
                    y[y0 + o] += a0 * wt[row + o];
                }
            }
        }
    }

    /**
     * Backward of {@link #apply}: {@code dw += Σ_r dy_r ⊗ x_r} and {@code dx_r += Wᵀ·dy_r} ({@code dx} may be null
     * when the input needs no gradient).
     */
    static void backward(double[] w, int out, int in, double[] x, int xOff, double[] dy, int dyOff, double[] dw,
                         double[] dx, int dxOff, int rows) {
        int r = 0;
        for (; r + BLOCK <= rows; r += BLOCK) {
            int x0 = xOff + r * in;
            int d0 = dyOff + r * out;
            int dx0 = dxOff + r * in;
            int dxFrom = dx != null && VECTORS ? LinearVectors.inputGradient4(w, out, in, dy, d0, dx, dx0) : 0;
            int dwFrom = VECTORS ? LinearVectors.weightGradient4(dw, out, in, x, x0, dy, d0) : 0;
            for (int o = 0; o < out; o++) {
                double g0 = dy[d0 + o];
                double g1 = dy[d0 + out + o];
                double g2 = dy[d0 + 2 * out + o];
                double g3 = dy[d0 + 3 * out + o];
                if (g0 == 0 && g1 == 0 && g2 == 0 && g3 == 0) {
                    continue;
                }
                int row = o * in;
                for (int i = dwFrom; i < in; i++) {
                    dw[row + i] += g0 * x[x0 + i] + g1 * x[x0 + in + i] + g2 * x[x0 + 2 * in + i]
                            + g3 * x[x0 + 3 * in + i];
                }
                if (dx != null) {
                    for (int i = dxFrom; i < in; i++) {
                        double wv = w[row + i];
                        dx[dx0 + i] += g0 * wv;
                        dx[dx0 + in + i] += g1 * wv;
                        dx[dx0 + 2 * in + i] += g2 * wv;
                        dx[dx0 + 3 * in + i] += g3 * wv;
                    }
                }
            }
        }
        for (; r < rows; r++) {
            int x0 = xOff + r * in;
            int d0 = dyOff + r * out;
            int dx0 = dxOff + r * in;
            for (int o = 0; o < out; o++) {
                double g = dy[d0 + o];
                if (g == 0) {
                    continue;
                }
                int row = o * in;
                for (int i = 0; i < in; i++) {
                    dw[row + i] += g * x[x0 + i];
                }
                if (dx != null) {
                    for (int i = 0; i < in; i++) {
                        dx[dx0 + i] += g * w[row + i];
                    }
                }
            }
        }
    }
}
