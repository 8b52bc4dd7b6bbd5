package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;

/**
 * NuSLERP, as mergekit computes it: spherical interpolation between two models, or between their task vectors
 * added back to the base when there is one. With weights w₁, w₂ of the two models (in the order given):
 * <pre>
 *   t  = w₂ / (w₁ + w₂)                          (0.5 when |w₁ + w₂| &lt; 1e-6)
 *   vᵢ = θᵢ − θ_base                             (θᵢ without a base)
 *   cos = v₁·v₂ / (max(‖v₁‖, 1e-7)·max(‖v₂‖, 1e-7)),   θ = acos(clamp(cos, −1, 1))
 *   |sin θ| &lt; 1e-8:  (1−t)·v₁ + t·v₂            (parallel or antiparallel: lerp)
 *   else:            (sin((1−t)θ)·v₁ + sin(tθ)·v₂) / sin θ
 *   result = that + θ_base                       (without a base, that alone)
 * </pre>
 * over the whole tensor ({@code nuslerp_flatten}, the default), or with {@code nuslerp_flatten: false} per row
 * (each slice along the last dimension), or, with {@code nuslerp_row_wise} as well, per column (each slice along
 * the first dimension: mergekit normalises along dim 0 then, although its docs call these row vectors).
 *
 * <p>Whole-tensor and column modes take two passes (norms and the dot product, then the result); row mode takes
 * one, since chunks hold whole rows. Sums run in double, the coefficients in double, the combination in float32.
 */
public final class NuSlerpKernel implements TensorKernel {
    /** mergekit's floor on |w₁ + w₂| below which t is 0.5. */
    static final double WEIGHT_SUM_FLOOR = 1e-6;
    /** mergekit's floor on a norm before dividing by it. */
    static final double NORM_FLOOR = 1e-7;
    /** mergekit's bound on |sin θ| below which the vectors count as colinear. */
    static final double EPS = 1e-8;
    /**
     * Most columns column mode keeps sums and factors for (32 bytes each, 32 MiB at most): above any matrix's
     * column count, below what a stack of experts viewed as [experts, rest] would need.
     */
    static final long MAX_COLUMNS = 1 << 20;

    @Override
    public void merge(TensorInputs in, TensorParameters p, TensorOutput out) {
        PointScan scan = new PointScan(in, true);
        int[] m = scan.models();
        double t = interpolation(p.modelDouble(m[0], "weight", 0), p.modelDouble(m[1], "weight", 0));
        if (p.globalBoolean("nuslerp_flatten")) {
            Gram g = scan.gram();
            float[] c = new float[2];
            coefficients(g.get(0, 0), g.get(1, 1), g.get(0, 1), t, c, 0);
            scan.write(c, out);
        } else if (p.globalBoolean("nuslerp_row_wise")) {
            perColumn(scan, p.tensor(), t, out);
        } else {
            perRow(scan, t, out);
        }
    }

    /** mergekit's t from the two weights. */
    static double interpolation(double w1, double w2) {
        double sum = w1 + w2;
        return Math.abs(sum) < WEIGHT_SUM_FLOOR ? 0.5 : w2 / sum;
    }

    /**
     * The factors of v₁ and v₂ from ‖v₁‖², ‖v₂‖² and v₁·v₂, into {@code c[at]} and {@code c[at + 1]}.
     */
    static void coefficients(double aa, double bb, double ab, double t, float[] c, int at) {
        double cos = ab / (Math.max(Math.sqrt(aa), NORM_FLOOR) * Math.max(Math.sqrt(bb), NORM_FLOOR));
        double theta = Math.acos(Math.max(-1, Math.min(1, cos)));
        double sin = Math.sin(theta);
        if (Math.abs(sin) < EPS) {
            c[at] = (float) (1 - t);
            c[at + 1] = (float) t;
        } else {
            c[at] = (float) (Math.sin((1 - t) * theta) / sin);
            c[at + 1] = (float) (Math.sin(t * theta) / sin);
        }
    }

    /** One pass: each row (whole in every block) interpolated by its own angle. */
    private static void perRow(PointScan scan, double t, TensorOutput out) {
        int row = (int) Math.max(1, scan.inputs().rowLength());
        float[] r = new float[scan.blockLength()];
        float[] c = new float[2];
        scan.scan((first, len, v, b, bo) -> {
            float[] v1 = v[0];
            float[] v2 = v[1];
            for (int s = 0; s < len; s += row) {
                coefficients(PointScan.dot(v1, v1, s, s + row), PointScan.dot(v2, v2, s, s + row),
                        PointScan.dot(v1, v2, s, s + row), t, c, 0);
                for (int e = s; e < s + row; e++) {
                    r[e] = c[0] * v1[e] + c[1] * v2[e];
                }
            }
            addBase(r, len, b, bo);
            out.write(r, 0, len);
        });
    }

    /**
     * Two passes over the tensor viewed as [d₀, rest]: sums per column, then each column interpolated by its own
     * angle. A tensor of rank below 2 is one column.
     */
    private static void perColumn(PointScan scan, String tensor, double t, TensorOutput out) {
        TensorInputs in = scan.inputs();
        long elements = in.elements();
        if (elements == 0) {
            return;
        }
        long columns = in.shape().rank() < 2 ? 1 : elements / in.shape().dim(0);
        if (columns > MAX_COLUMNS) {
            throw new UnmergeableTensorException(tensor, "nuslerp with nuslerp_row_wise cannot merge tensor "
                    + tensor + ": its " + columns + " columns (the slices along its first dimension) exceed "
                    + MAX_COLUMNS + "; merge it with nuslerp_flatten: true (a filter on that parameter)");
        }
        int cols = (int) columns;
        // Per column: ‖v₁‖², ‖v₂‖², v₁·v₂; then the two factors in the first two slots.
        double[] acc = new double[3 * cols];
        scan.scan((first, len, v, b, bo) -> {
            float[] v1 = v[0];
            float[] v2 = v[1];
            int j = (int) (first % cols);
            for (int e = 0; e < len; e++) {
                double x = v1[e];
                double y = v2[e];
                acc[3 * j] += x * x;
                acc[3 * j + 1] += y * y;
                acc[3 * j + 2] += x * y;
                j = j + 1 == cols ? 0 : j + 1;
            }
        });
        float[] c = new float[2 * cols];
        for (int j = 0; j < cols; j++) {
            coefficients(acc[3 * j], acc[3 * j + 1], acc[3 * j + 2], t, c, 2 * j);
        }
        float[] r = new float[scan.blockLength()];
        scan.scan((first, len, v, b, bo) -> {
            int j = (int) (first % cols);
            for (int e = 0; e < len; e++) {
                r[e] = c[2 * j] * v[0][e] + c[2 * j + 1] * v[1][e];
                j = j + 1 == cols ? 0 : j + 1;
            }
            addBase(r, len, b, bo);
            out.write(r, 0, len);
        });
    }

    /** {@code r[e] = base[bo + e] + r[e]} when there is a base. */
    private static void addBase(float[] r, int len, float[] base, int bo) {
        if (base != null) {
            for (int e = 0; e < len; e++) {
                r[e] = base[bo + e] + r[e];
            }
        }
    }
}
