package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;

/**
 * Multi-SLERP, as mergekit computes it: barycentric interpolation of any number of models on the hypersphere,
 * around the base when there is one. With points xᵢ (each model's whole tensor, or its task vector θᵢ − θ_base)
 * and weights wᵢ (divided by Σ wⱼ with {@code normalize_weights}, the default):
 * <pre>
 *   uᵢ = xᵢ / (‖xᵢ‖ + eps)                     unit points
 *   m  = Σ wᵢuᵢ;  ‖m‖ &lt; eps: two models give w₁x₁ + w₂x₂ (+ θ_base), more are an error (antipodal)
 *   μ  = m / ‖m‖                               the weighted mean direction
 *   T  = Σ wᵢ (uᵢ − (uᵢ·μ) μ)                  the weighted sum in the tangent space at μ
 *   n  = ‖T‖ + eps
 *   result = (Σ wᵢ‖xᵢ‖) · (μ cos n + T sin(n)/n)   (+ θ_base)
 * </pre>
 * A single model is returned as it is. Every vector above is a linear combination of the points, so the kernel
 * computes their coefficients from the points' Gram matrix (one pass, in double) and writes the combination in a
 * second pass (float32), instead of holding any vector the size of the tensor.
 */
public final class MultiSlerpKernel implements TensorKernel {
    @Override
    public void merge(TensorInputs in, TensorParameters p, TensorOutput out) {
        PointScan scan = new PointScan(in, true);
        int[] models = scan.models();
        if (models.length == 1) {
            scan.writeInput(models[0], out);
            return;
        }
        double[] w = new double[models.length];
        double sum = 0;
        for (int k = 0; k < w.length; k++) {
            w[k] = p.modelDouble(models[k], "weight", 0);
            sum += w[k];
        }
        if (p.globalBoolean("normalize_weights")) {
            for (int k = 0; k < w.length; k++) {
                w[k] /= sum;
            }
        }
        double[] c = coefficients(scan.gram(), w, p.globalDouble("eps"));
        if (c == null && models.length == 2) {
            // mergekit's fallback for two antipodal points: their weighted sum.
            c = w;
        } else if (c == null) {
            throw new UnmergeableTensorException(p.tensor(), "multislerp cannot merge tensor " + p.tensor()
                    + ": the weighted sum of its " + models.length + " models' unit " + (scan.hasBase()
                    ? "task vectors" : "tensors") + " is zero (antipodal models whose weights balance, such as "
                    + "a and -a at equal weights); change the weights");
        }
        scan.write(c, out);
    }

    /**
     * The result's coefficients on the points, from their Gram matrix.
     *
     * @param g   the points' Gram matrix
     * @param w   the weights, normalised when asked
     * @param eps mergekit's {@code eps}
     * @return the coefficients, or null when the weighted mean direction is zero (‖m‖ &lt; eps)
     */
    static double[] coefficients(Gram g, double[] w, double eps) {
        int n = w.length;
        double[] norm = new double[n];
        double[] mean = new double[n];
        double avgNorm = 0;
        for (int i = 0; i < n; i++) {
            norm[i] = g.norm(i);
            mean[i] = w[i] / (norm[i] + eps); // m = Σ wᵢuᵢ on the points
            avgNorm += w[i] * norm[i];
        }
        double meanNorm = Math.sqrt(g.normSquared(mean));
        if (meanNorm < eps) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            mean[i] /= meanNorm;
        }
        // T = Σ wᵢuᵢ − (Σ wᵢ uᵢ·μ) μ
        double along = 0;
        for (int i = 0; i < n; i++) {
            along += w[i] * (g.dot(i, mean) / (norm[i] + eps));
        }
        double[] tangent = new double[n];
        for (int j = 0; j < n; j++) {
            tangent[j] = w[j] / (norm[j] + eps) - along * mean[j];
        }
        double length = Math.sqrt(g.normSquared(tangent)) + eps;
        double cos = Math.cos(length);
        double sinc = Math.sin(length) / length;
        double[] c = new double[n];
        for (int j = 0; j < n; j++) {
            c[j] = avgNorm * (mean[j] * cos + tangent[j] * sinc);
        }
        return c;
    }
}
