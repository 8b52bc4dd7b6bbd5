package dev.graft.algorithms.spectral;

import dev.graft.core.kernel.TensorParameters;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * WUDI merging for one m × n matrix (Cheng et al., ICML 2025): the τ minimising
 * {@code L(τ) = Σᵢ ‖(τ − τᵢ)·τᵢᵀ‖²_F / ‖τᵢ‖²_F} by {@code steps} Adam steps (β = 0.9, 0.999, ε = 1e-8, no weight
 * decay, PyTorch's update with bias corrections) from {@code τ₀ = Σᵢ τᵢ}, as the authors' and FusionBench's code.
 *
 * <p>The loss is quadratic, so its gradient is {@code ∇L = 2·(τ·G − C)} with {@code G = Σᵢ τᵢᵀτᵢ / ‖τᵢ‖²} (n × n)
 * and {@code C = Σᵢ τᵢ·τᵢᵀτᵢ / ‖τᵢ‖²} (m × n) computed once: each step is one m × n × n product instead of the
 * 2T products with m × m intermediates that automatic differentiation of the loss as written takes (an
 * m × m matrix is 64 GiB for a 128k-row embedding). A task vector that is zero has no loss term (its term is 0/0
 * in the formula; its limit is 0). No random numbers: the result is a function of the inputs.
 */
public final class WudiMerge implements MatrixMerge {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    @Override
    public Matrix merge(LinearAlgebra la, List<Matrix> tasks, TensorParameters p) {
        int steps = (int) p.globalDouble("steps");
        float lr = (float) p.globalDouble("lr");
        Matrix tau = Factors.sum(tasks);
        try {
            int m = tau.rows();
            int n = tau.cols();
            long size = (long) m * n;
            // The Adam moments live beside the matrices, outside the heap: two more m × n of float32.
            try (Matrix g = la.zeros(n, n); Matrix c = la.zeros(m, n);
                 Matrix firstMoment = la.zeros(m, n); Matrix secondMoment = la.zeros(m, n)) {
                for (Matrix t : tasks) {
                    double norm = t.frobeniusNormSquared();
                    if (norm == 0) {
                        continue;
                    }
                    float w = (float) (1 / norm);
                    try (Matrix gi = la.multiply(t, true, t, false); Matrix ci = la.multiply(t, false, gi, false)) {
                        addScaled(g, gi, w);
                        addScaled(c, ci, w);
                    }
                }
                MemorySegment first = firstMoment.data();
                MemorySegment second = secondMoment.data();
                MemorySegment x = tau.data();
                MemorySegment cs = c.data();
                for (int step = 1; step <= steps; step++) {
                    float bc1 = 1 - (float) Math.pow(BETA1, step);
                    float bc2 = (float) Math.sqrt(1 - Math.pow(BETA2, step));
                    float stepSize = lr / bc1;
                    try (Matrix product = la.multiply(tau, false, g, false)) {
                        MemorySegment pg = product.data();
                        for (long e = 0; e < size; e++) {
                            float grad = 2 * (pg.getAtIndex(Matrix.ELEMENT, e) - cs.getAtIndex(Matrix.ELEMENT, e));
                            float m1 = first.getAtIndex(Matrix.ELEMENT, e);
                            m1 += (grad - m1) * (1 - BETA1); // PyTorch's lerp toward the gradient
                            float v1 = second.getAtIndex(Matrix.ELEMENT, e) * BETA2 + (1 - BETA2) * grad * grad;
                            first.setAtIndex(Matrix.ELEMENT, e, m1);
                            second.setAtIndex(Matrix.ELEMENT, e, v1);
                            float denom = (float) Math.sqrt(v1) / bc2 + EPS;
                            x.setAtIndex(Matrix.ELEMENT, e, x.getAtIndex(Matrix.ELEMENT, e) - stepSize * m1 / denom);
                        }
                    }
                }
            }
            return tau;
        } catch (RuntimeException | Error e) {
            tau.close();
            throw e;
        }
    }

    /** {@code a += w · b}, element by element. */
    private static void addScaled(Matrix a, Matrix b, float w) {
        MemorySegment x = a.data();
        MemorySegment y = b.data();
        long n = (long) a.rows() * a.cols();
        for (long i = 0; i < n; i++) {
            x.setAtIndex(Matrix.ELEMENT, i, x.getAtIndex(Matrix.ELEMENT, i) + w * y.getAtIndex(Matrix.ELEMENT, i));
        }
    }
}
