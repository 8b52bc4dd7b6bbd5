package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;

/**
 * The Karcher (Riemannian, Fréchet) mean of the models' directions on the unit sphere, times their mean norm, as
 * mergekit's {@code karcher} computes it, with weights. Every input is a point, the base included. With
 * {@code aᵢ = wᵢ / Σ wⱼ} (mergekit: {@code 1/N} whatever the weights), norms {@code nᵢ = ‖θᵢ‖} and directions
 * {@code uᵢ = θᵢ/nᵢ}:
 * <pre>
 *   V  = { i : nᵢ &gt; tol },  âᵢ = aᵢ / Σ_V a        (no such i, or Σ_V a = 0: the result is 0)
 *   u  = normalize(Σ_V âᵢuᵢ)                       (u_first in V when that sum's norm &lt; tol)
 *   repeat max_iter times:
 *     T = Σ_V âᵢ (θᵢ'/sin θᵢ') (uᵢ − cos θᵢ' u)   over i with θᵢ' = acos(clamp(u·uᵢ, −1, 1)) ≥ tol
 *     stop when ‖T‖ &lt; tol
 *     u = normalize(cos‖T‖ u + sin‖T‖ T/‖T‖)        (left as is when its norm ≤ tol)
 *   result = (Σ_all aᵢnᵢ) · u
 * </pre>
 * u stays in the span of the directions, so the iteration runs on coefficients over the points' Gram matrix (one
 * pass, in double) and costs nothing per element; a second pass writes the combination (float32). Two passes
 * whatever {@code max_iter}.
 */
public final class KarcherKernel implements TensorKernel {
    @Override
    public void merge(TensorInputs in, TensorParameters p, TensorOutput out) {
        PointScan scan = new PointScan(in, false);
        int[] inputs = scan.models();
        if (inputs.length == 1) {
            scan.writeInput(inputs[0], out);
            return;
        }
        double[] w = new double[inputs.length];
        for (int k = 0; k < w.length; k++) {
            w[k] = p.modelDouble(inputs[k], "weight", 1);
        }
        double[] c = coefficients(scan.gram(), w, (int) p.globalDouble("max_iter"), p.globalDouble("tol"));
        if (c == null) {
            scan.writeZeros(out);
            return;
        }
        scan.write(c, out);
    }

    /**
     * The result's coefficients on the points, from their Gram matrix.
     *
     * @param g       the points' Gram matrix
     * @param weights the points' weights (not negative, not all 0)
     * @return the coefficients, or null when the result is 0 (no point of norm above {@code tol} has weight)
     */
    static double[] coefficients(Gram g, double[] weights, int maxIter, double tol) {
        int n = weights.length;
        double total = 0;
        for (double x : weights) {
            total += x;
        }
        double[] norm = new double[n];
        double scale = 0;
        double validWeight = 0;
        for (int i = 0; i < n; i++) {
            norm[i] = g.norm(i);
            scale += weights[i] / total * norm[i];
            validWeight += norm[i] > tol ? weights[i] / total : 0;
        }
        if (validWeight == 0) {
            return null;
        }
        // The directions' Gram matrix over the valid points, and their weights âᵢ (0 for the others).
        double[][] unit = new double[n][n];
        double[] a = new double[n];
        int first = -1;
        for (int i = 0; i < n; i++) {
            if (norm[i] > tol) {
                first = first < 0 ? i : first;
                a[i] = weights[i] / total / validWeight;
                for (int j = 0; j < n; j++) {
                    unit[i][j] = norm[j] > tol ? g.get(i, j) / (norm[i] * norm[j]) : 0;
                }
            }
        }
        Gram directions = new Gram(unit);
        double[] u = a.clone();
        double length = Math.sqrt(directions.normSquared(u));
        if (length < tol) {
            u = new double[n];
            u[first] = 1;
        } else {
            scaleInPlace(u, 1 / length);
        }
        for (int iter = 0; iter < maxIter; iter++) {
            double[] step = new double[n];
            for (int i = 0; i < n; i++) {
                if (a[i] == 0) {
                    continue; // not a valid point, or weightless: no pull
                }
                double cos = Math.max(-1, Math.min(1, directions.dot(i, u)));
                double theta = Math.acos(cos);
                if (theta < tol) {
                    continue;
                }
                double f = a[i] * theta / Math.sin(theta);
                step[i] += f;
                for (int j = 0; j < n; j++) {
                    step[j] -= f * cos * u[j];
                }
            }
            double stepLength = Math.sqrt(directions.normSquared(step));
            if (stepLength < tol) {
                break;
            }
            double along = Math.cos(stepLength);
            double across = Math.sin(stepLength) / stepLength;
            for (int j = 0; j < n; j++) {
                u[j] = along * u[j] + across * step[j];
            }
            double unitLength = Math.sqrt(directions.normSquared(u));
            if (unitLength > tol) {
                scaleInPlace(u, 1 / unitLength);
            }
        }
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = norm[i] > tol ? scale * u[i] / norm[i] : 0;
        }
        return c;
    }

    private static void scaleInPlace(double[] v, double factor) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
    }
}
