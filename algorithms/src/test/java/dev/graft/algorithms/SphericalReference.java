package dev.graft.algorithms;

/**
 * Double-precision references for nuslerp, multislerp and karcher, written from the formulas on their docs pages
 * (and mergekit's code) with whole vectors, as mergekit computes them: no Gram matrix, no coefficients, so that
 * they check the kernels' reformulation too. Inputs are float32 values widened to double; task vectors are taken
 * in float32 first, as mergekit (and Graft) subtract in the compute dtype.
 */
public final class SphericalReference {
    private SphericalReference() {
    }

    /** Which vectors nuslerp interpolates. */
    public enum Layout { WHOLE, ROWS, COLUMNS }

    /** {@code x − base} in float32, widened; {@code x} widened when there is no base. */
    public static double[] point(float[] x, float[] base) {
        double[] d = new double[x.length];
        for (int e = 0; e < x.length; e++) {
            d[e] = base == null ? x[e] : (double) (x[e] - base[e]);
        }
        return d;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int e = 0; e < a.length; e++) {
            s += a[e] * b[e];
        }
        return s;
    }

    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** {@code r + base}, or r without a base. */
    private static double[] plusBase(double[] r, float[] base) {
        if (base != null) {
            for (int e = 0; e < r.length; e++) {
                r[e] += base[e];
            }
        }
        return r;
    }

    /**
     * nuslerp of two models (task vectors when {@code base} is not null), weights w1, w2, on a tensor of
     * {@code rows} × {@code cols} in row-major order.
     */
    public static double[] nuslerp(float[] x1, float[] x2, float[] base, double w1, double w2, Layout layout, int rows,
                            int cols) {
        double t = Math.abs(w1 + w2) < 1e-6 ? 0.5 : w2 / (w1 + w2);
        double[] v1 = point(x1, base);
        double[] v2 = point(x2, base);
        double[] r = new double[v1.length];
        int vectors = switch (layout) {
            case WHOLE -> 1;
            case ROWS -> rows;
            case COLUMNS -> cols;
        };
        int length = v1.length / vectors;
        for (int k = 0; k < vectors; k++) {
            // element i of vector k
            int[] at = new int[length];
            for (int i = 0; i < length; i++) {
                at[i] = switch (layout) {
                    case WHOLE -> i;
                    case ROWS -> k * cols + i;
                    case COLUMNS -> i * cols + k;
                };
            }
            double[] a = new double[length];
            double[] b = new double[length];
            for (int i = 0; i < length; i++) {
                a[i] = v1[at[i]];
                b[i] = v2[at[i]];
            }
            double[] s = slerp(t, a, b);
            for (int i = 0; i < length; i++) {
                r[at[i]] = s[i];
            }
        }
        return plusBase(r, base);
    }

    /** mergekit's nuslerp of two vectors: normalised with norms clamped at 1e-7, lerp where |sin θ| < 1e-8. */
    private static double[] slerp(double t, double[] a, double[] b) {
        double na = Math.max(norm(a), 1e-7);
        double nb = Math.max(norm(b), 1e-7);
        double cos = 0;
        for (int i = 0; i < a.length; i++) {
            cos += (a[i] / na) * (b[i] / nb);
        }
        double theta = Math.acos(Math.max(-1, Math.min(1, cos)));
        double sin = Math.sin(theta);
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.abs(sin) < 1e-8 ? (1 - t) * a[i] + t * b[i]
                    : (Math.sin((1 - t) * theta) * a[i] + Math.sin(t * theta) * b[i]) / sin;
        }
        return r;
    }

    /** multislerp of the models (task vectors when {@code base} is not null). */
    public static double[] multislerp(float[][] models, float[] base, double[] weights, boolean normalize, double eps) {
        int n = models.length;
        if (n == 1) {
            return point(models[0], null);
        }
        double[] w = weights.clone();
        double sum = 0;
        for (double x : w) {
            sum += x;
        }
        for (int i = 0; normalize && i < n; i++) {
            w[i] /= sum;
        }
        double[][] x = new double[n][];
        double[][] unit = new double[n][];
        double[] norms = new double[n];
        int len = models[0].length;
        double[] mean = new double[len];
        for (int i = 0; i < n; i++) {
            x[i] = point(models[i], base);
            norms[i] = norm(x[i]);
            unit[i] = new double[len];
            for (int e = 0; e < len; e++) {
                unit[i][e] = x[i][e] / (norms[i] + eps);
                mean[e] += w[i] * unit[i][e];
            }
        }
        double meanNorm = norm(mean);
        if (meanNorm < eps) {
            if (n != 2) {
                throw new IllegalStateException("antipodal");
            }
            double[] r = new double[len];
            for (int e = 0; e < len; e++) {
                r[e] = x[0][e] * w[0] + x[1][e] * w[1];
            }
            return plusBase(r, base);
        }
        for (int e = 0; e < len; e++) {
            mean[e] /= meanNorm;
        }
        double[] tangent = new double[len];
        for (int i = 0; i < n; i++) {
            double d = dot(unit[i], mean);
            for (int e = 0; e < len; e++) {
                tangent[e] += w[i] * (unit[i][e] - d * mean[e]);
            }
        }
        double tn = norm(tangent) + eps;
        double avg = 0;
        for (int i = 0; i < n; i++) {
            avg += norms[i] * w[i];
        }
        double[] r = new double[len];
        for (int e = 0; e < len; e++) {
            r[e] = avg * (mean[e] * Math.cos(tn) + tangent[e] * (Math.sin(tn) / tn));
        }
        return plusBase(r, base);
    }

    /** The weighted Karcher mean of the inputs (the base, if any, is one of them), as on karcher.md. */
    public static double[] karcher(float[][] inputs, double[] weights, int maxIter, double tol) {
        int n = inputs.length;
        if (n == 1) {
            return point(inputs[0], null);
        }
        double total = 0;
        for (double x : weights) {
            total += x;
        }
        double[] alpha = new double[n];
        double[][] units = new double[n][];
        double[] norms = new double[n];
        int len = inputs[0].length;
        double validSum = 0;
        for (int i = 0; i < n; i++) {
            alpha[i] = weights[i] / total;
            double[] x = point(inputs[i], null);
            norms[i] = norm(x);
            units[i] = new double[len];
            for (int e = 0; e < len && norms[i] > 0; e++) {
                units[i][e] = x[e] / norms[i];
            }
            validSum += norms[i] > tol ? alpha[i] : 0;
        }
        double[] zero = new double[len];
        if (validSum == 0) {
            return zero;
        }
        double[] a = new double[n];
        int first = -1;
        for (int i = 0; i < n; i++) {
            if (norms[i] > tol) {
                a[i] = alpha[i] / validSum;
                first = first < 0 ? i : first;
            }
        }
        double[] u = new double[len];
        for (int i = 0; i < n; i++) {
            for (int e = 0; e < len; e++) {
                u[e] += a[i] * units[i][e];
            }
        }
        double nu = norm(u);
        if (nu < tol) {
            u = units[first].clone();
        } else {
            scale(u, 1 / nu);
        }
        for (int iter = 0; iter < maxIter; iter++) {
            double[] step = new double[len];
            for (int i = 0; i < n; i++) {
                if (norms[i] <= tol) {
                    continue;
                }
                double cos = Math.max(-1, Math.min(1, dot(u, units[i])));
                double theta = Math.acos(cos);
                if (theta < tol) {
                    continue;
                }
                double f = a[i] * theta / Math.sin(theta);
                for (int e = 0; e < len; e++) {
                    step[e] += f * (units[i][e] - cos * u[e]);
                }
            }
            double ns = norm(step);
            if (ns < tol) {
                break;
            }
            for (int e = 0; e < len; e++) {
                u[e] = Math.cos(ns) * u[e] + Math.sin(ns) * step[e] / ns;
            }
            double un = norm(u);
            if (un > tol) {
                scale(u, 1 / un);
            }
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += alpha[i] * norms[i];
        }
        scale(u, s);
        return u;
    }

    private static void scale(double[] v, double f) {
        for (int e = 0; e < v.length; e++) {
            v[e] *= f;
        }
    }
}
