package dev.graft.evaluation.llama;

/**
 * Rotary position embedding (Su et al., 2021, "RoFormer") in Hugging Face's half-split convention: the pair
 * rotated by angle {@code pos·θ^(−2i/d)} is {@code (x[i], x[i + d/2])}, not {@code (x[2i], x[2i+1])}, so that
 * {@code x' = x·cos + rotate_half(x)·sin} with {@code rotate_half(x) = cat(−x[d/2:], x[:d/2])}, as transformers'
 * {@code apply_rotary_pos_emb} computes it. Weights trained here therefore mean the same to transformers.
 */
final class RotaryTable {
    private final int half;
    private final double[] cos;
    private final double[] sin;

    RotaryTable(int headDim, int positions, double theta) {
        this.half = headDim / 2;
        this.cos = new double[positions * half];
        this.sin = new double[positions * half];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * Math.pow(theta, -2.0 * i / headDim);
                cos[p * half + i] = Math.cos(angle);
                sin[p * half + i] = Math.sin(angle);
            }
        }
    }

    /** Rotates the head at {@code x[off .. off+headDim)} for position {@code pos}, in place. */
    void rotate(double[] x, int off, int pos) {
        int c = pos * half;
        for (int i = 0; i < half; i++) {
            double a = x[off + i];
            double b = x[off + half + i];
            x[off + i] = a * cos[c + i] - b * sin[c + i];
            x[off + half + i] = b * cos[c + i] + a * sin[c + i];
        }
    }

    /** The transpose (inverse) rotation, which carries a gradient back through {@link #rotate}. */
    void unrotate(double[] x, int off, int pos) {
        int c = pos * half;
        for (int i = 0; i < half; i++) {
            double a = x[off + i];
            double b = x[off + half + i];
            x[off + i] = a * cos[c + i] + b * sin[c + i];
            x[off + half + i] = b * cos[c + i] - a * sin[c + i];
        }
    }
}
