package dev.graft.algorithms.kernels;

/**
 * The Gram matrix {@code G[i][j] = pᵢ·pⱼ} of a tensor's points (see {@link PointScan}), and the algebra of vectors
 * in their span: a vector {@code Σ aⱼpⱼ} is held as its coefficients {@code a}, so that the spherical methods can
 * normalise, project and iterate on tensor-sized vectors without holding one.
 */
public final class Gram {
    private final double[][] g;

    /** @param g the symmetric matrix of dot products, {@code n × n}; not copied */
    Gram(double[][] g) {
        this.g = g;
    }

    /** Number of points. */
    public int size() {
        return g.length;
    }

    /** {@code pᵢ·pⱼ}. */
    public double get(int i, int j) {
        return g[i][j];
    }

    /** {@code ‖pᵢ‖}. */
    public double norm(int i) {
        return Math.sqrt(g[i][i]);
    }

    /** {@code pᵢ·(Σ aⱼpⱼ)}. */
    public double dot(int i, double[] a) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += g[i][j] * a[j];
        }
        return s;
    }

    /** {@code ‖Σ aⱼpⱼ‖²}, at least 0 (rounding could make a tiny one negative). */
    public double normSquared(double[] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * dot(i, a);
        }
        return Math.max(0, s);
    }
}
