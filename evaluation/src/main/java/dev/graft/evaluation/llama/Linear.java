package dev.graft.evaluation.llama;

/**
 * {@code nn.Linear} without bias on one position, {@code y = W·x} with {@code W} row-major {@code [out, in]}, and
 * its backward pass. Plain loops: at the evaluation's sizes (rows of 64 to 256) they beat handing the products to
 * the linalg backend (see docs/benchmarks.md).
 */
final class Linear {
    private Linear() {
    }

    /**
     * {@code y[yOff + o] = Σ_i w[o·in + i] · x[xOff + i]} for {@code o < out}, read from the transposed weights
     * {@code wt = Wᵀ} ({@code [in, out]}) as a sum of their rows, a loop the JIT vectorises.
     */
    static void apply(double[] wt, int out, int in, double[] x, int xOff, double[] y, int yOff) {
        java.util.Arrays.fill(y, yOff, yOff + out, 0);
        for (int i = 0; i < in; i++) {
            double xi = x[xOff + i];
            int row = i * out;
            for (int o = 0; o < out; o++) {
                y[yOff + o] += xi * wt[row + o];
            }
        }
    }

    /**
     * Backward of {@link #apply}: {@code dw += dy ⊗ x} and {@code dx += Wᵀ·dy} ({@code dx} may be null when the
     * input needs no gradient).
     */
    static void backward(double[] w, int out, int in, double[] x, int xOff, double[] dy, int dyOff, double[] dw,
                         double[] dx, int dxOff) {
        for (int o = 0; o < out; o++) {
            double g = dy[dyOff + o];
            if (g == 0) {
                continue;
            }
            int row = o * in;
            for (int i = 0; i < in; i++) {
                dw[row + i] += g * x[xOff + i];
            }
            if (dx != null) {
                for (int i = 0; i < in; i++) {
                    dx[dxOff + i] += g * w[row + i];
                }
            }
        }
    }
}
