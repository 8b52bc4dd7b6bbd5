package dev.graft.evaluation.llama;

/**
 * Llama's RMSNorm (Zhang & Sennrich, 2019) on one position: {@code y = w ⊙ x / √(mean(x²) + ε)}, as
 * transformers' {@code LlamaRMSNorm} computes it, and its backward pass.
 */
final class RmsNorm {
    private RmsNorm() {
    }

    /** Writes {@code y} and returns {@code r = 1/√(mean(x²) + ε)}, which the backward pass needs. */
    static double apply(double[] x, int xOff, double[] w, int n, double eps, double[] y, int yOff) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += x[xOff + i] * x[xOff + i];
        }
        double r = 1 / Math.sqrt(ss / n + eps);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = w[i] * x[xOff + i] * r;
        }
        return r;
    }

    /**
     * Backward of {@link #apply}: {@code dw += dy ⊙ x·r} and
     * {@code dx += r·(dy⊙w) − x·r³/n·Σ(dy⊙w⊙x)}.
     */
    static void backward(double[] x, int xOff, double[] w, int n, double r, double[] dy, int dyOff, double[] dw,
                         double[] dx, int dxOff) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
            double g = dy[dyOff + i];
            dw[i] += g * x[xOff + i] * r;
            dot += g * w[i] * x[xOff + i];
        }
        double c = r * r * r / n * dot;
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] += r * dy[dyOff + i] * w[i] - c * x[xOff + i];
        }
    }
}
