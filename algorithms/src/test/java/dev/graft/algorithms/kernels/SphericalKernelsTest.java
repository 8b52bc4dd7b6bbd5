package dev.graft.algorithms.kernels;

import dev.graft.algorithms.SphericalReference;
import dev.graft.algorithms.SphericalReference.Layout;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorParameters;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The spherical kernels on random float32 tensors against {@link SphericalReference} (double precision, whole
 * vectors), in several chunkings, and their exactly defined cases (lerp, fallbacks, a single model, zeros)
 * exactly.
 */
class SphericalKernelsTest {
    static final int ROWS = 37;
    static final int COLS = 29;
    static final Shape SHAPE = Shape.of(ROWS, COLS);
    /** Rows per chunk: one row, a block that does not divide the rows, the whole tensor. */
    static final int[] CHUNKINGS = {1, 5, ROWS};
    /** Tolerance in units of 2⁻²⁴ of the magnitude of the terms (|result| + |base| + Σ|pointᵢ|). */
    static final double TOLERANCE = 4;

    /** Gaussian values around {@code mean}: independent tensors are nearly orthogonal, so the angles are wide. */
    static float[] random(long seed, double mean, double sd) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[ROWS * COLS];
        for (int e = 0; e < x.length; e++) {
            double u1 = 1 - r.nextDouble();
            double u2 = r.nextDouble();
            x[e] = (float) (mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return x;
    }

    static float[] run(TensorKernel kernel, Shape shape, int base, int rowsPerChunk, List<Map<String, Object>> perModel,
                       Map<String, Object> global, float[]... inputs) {
        float[] out = new float[inputs[0].length];
        int[] pos = {0};
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            names.add("m" + i);
        }
        kernel.merge(new ArrayInputs(shape, base, rowsPerChunk, inputs),
                new TensorParameters("w", names, perModel, global, 0, 1), (v, from, n) -> {
                    System.arraycopy(v, from, out, pos[0], n);
                    pos[0] += n;
                });
        assertThat(pos[0]).as("elements written").isEqualTo(out.length);
        return out;
    }

    static List<Map<String, Object>> weights(int base, double... w) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (double x : w) {
            out.add(Map.of("weight", x));
        }
        if (base >= 0) {
            out.add(base, Map.of());
        }
        return out;
    }

    /** Worst error of {@code got} in units of 2⁻²⁴ of the terms' magnitude; the points are the non-base inputs. */
    static double worst(float[] got, double[] ref, int base, boolean taskVectors, float[]... inputs) {
        double worst = 0;
        for (int e = 0; e < got.length; e++) {
            double magnitude = Math.abs(ref[e]);
            for (int i = 0; i < inputs.length; i++) {
                boolean isBase = i == base && taskVectors;
                magnitude += Math.abs(inputs[i][e]);
                if (!isBase && taskVectors && base >= 0) {
                    magnitude += Math.abs((double) (inputs[i][e] - inputs[base][e]));
                }
            }
            worst = Math.max(worst, Math.abs(got[e] - ref[e]) / (magnitude * 0x1p-24));
        }
        return worst;
    }

    @Test
    void nuslerpMatchesTheReferenceInEveryLayoutAndChunking() {
        float[] base = random(1, 0.5, 1);
        float[] a = random(2, 0.5, 1);
        float[] b = random(3, 0.5, 1);
        for (Layout layout : Layout.values()) {
            Map<String, Object> global = Map.of("nuslerp_flatten", layout == Layout.WHOLE,
                    "nuslerp_row_wise", layout == Layout.COLUMNS);
            double[] withBase = SphericalReference.nuslerp(a, b, base, 0.3, 0.9, layout, ROWS, COLS);
            double[] without = SphericalReference.nuslerp(a, b, null, 0.3, 0.9, layout, ROWS, COLS);
            for (int chunk : CHUNKINGS) {
                float[] got = run(new NuSlerpKernel(), SHAPE, 1, chunk, weights(1, 0.3, 0.9), global, a, base, b);
                assertThat(worst(got, withBase, 1, true, a, base, b)).as("%s, base, %d rows", layout, chunk)
                        .isLessThanOrEqualTo(TOLERANCE);
                got = run(new NuSlerpKernel(), SHAPE, -1, chunk, weights(-1, 0.3, 0.9), global, a, b);
                assertThat(worst(got, without, -1, true, a, b)).as("%s, %d rows", layout, chunk)
                        .isLessThanOrEqualTo(TOLERANCE);
            }
        }
        // The layouts differ by far more than the tolerance, so each check above sees its own layout.
        double[] whole = SphericalReference.nuslerp(a, b, base, 0.3, 0.9, Layout.WHOLE, ROWS, COLS);
        double[] rows = SphericalReference.nuslerp(a, b, base, 0.3, 0.9, Layout.ROWS, ROWS, COLS);
        double[] columns = SphericalReference.nuslerp(a, b, base, 0.3, 0.9, Layout.COLUMNS, ROWS, COLS);
        assertThat(maxDifference(whole, rows)).isGreaterThan(1e-3);
        assertThat(maxDifference(rows, columns)).isGreaterThan(1e-3);
    }

    static double maxDifference(double[] x, double[] y) {
        double d = 0;
        for (int e = 0; e < x.length; e++) {
            d = Math.max(d, Math.abs(x[e] - y[e]));
        }
        return d;
    }

    @Test
    void nuslerpOfColinearVectorsIsTheLerp() {
        float[] a = random(4, 0, 1);
        float[] b = new float[a.length];
        for (int e = 0; e < a.length; e++) {
            b[e] = 2 * a[e];
        }
        float[] got = run(new NuSlerpKernel(), SHAPE, -1, 5, weights(-1, 1, 3),
                Map.of("nuslerp_flatten", true, "nuslerp_row_wise", false), a, b);
        float s0 = (float) (1 - 0.75);
        float s1 = 0.75f;
        for (int e = 0; e < a.length; e++) {
            assertThat(got[e]).isEqualTo(s0 * a[e] + s1 * b[e]);
        }
        // Weights summing to 0: t = 0.5.
        got = run(new NuSlerpKernel(), SHAPE, -1, 5, weights(-1, 1, -1),
                Map.of("nuslerp_flatten", true, "nuslerp_row_wise", false), a, b);
        for (int e = 0; e < a.length; e++) {
            assertThat(got[e]).isEqualTo(0.5f * a[e] + 0.5f * b[e]);
        }
    }

    @Test
    void nuslerpOfAZeroTaskVectorIsMergekitsQuarterCircleNotTheLerp() {
        // v1 = 0 has cos θ = 0 after the 1e-7 norm floor, so θ = π/2: base + sin(t·π/2)·v2, as mergekit computes.
        float[] base = random(5, 0, 1);
        float[] b = random(6, 0, 1);
        float[] got = run(new NuSlerpKernel(), SHAPE, 0, 5, weights(0, 1, 1),
                Map.of("nuslerp_flatten", true, "nuslerp_row_wise", false), base, base.clone(), b);
        float s1 = (float) Math.sin(0.5 * Math.PI / 2);
        for (int e = 0; e < b.length; e++) {
            assertThat(got[e]).isEqualTo(base[e] + s1 * (b[e] - base[e]));
        }
    }

    @Test
    void nuslerpRefusesColumnModeOnTooManyColumns() {
        int cols = (1 << 20) + 1;
        float[] x = new float[cols];
        assertThatThrownBy(() -> run(new NuSlerpKernel(), Shape.of(1, cols), -1, 1, weights(-1, 1, 1),
                Map.of("nuslerp_flatten", false, "nuslerp_row_wise", true), x, x))
                .isInstanceOf(UnmergeableTensorException.class)
                .hasMessage("nuslerp with nuslerp_row_wise cannot merge tensor w: its 1048577 columns (the slices "
                        + "along its first dimension) exceed 1048576; merge it with nuslerp_flatten: true (a filter "
                        + "on that parameter)");
    }

    @Test
    void multislerpMatchesTheReference() {
        float[] base = random(7, 0.2, 1);
        float[][] models = {random(8, 0.2, 1), random(9, 0.2, 2), random(10, 0.2, 0.5), random(11, 0.2, 1)};
        double[] w = {0.1, 0.5, 0.2, 0.7};
        for (boolean normalize : new boolean[] {true, false}) {
            Map<String, Object> global = Map.of("normalize_weights", normalize, "eps", 1e-8);
            double[] withBase = SphericalReference.multislerp(models, base, w, normalize, 1e-8);
            double[] without = SphericalReference.multislerp(models, null, w, normalize, 1e-8);
            float[][] inputs = {models[0], models[1], base, models[2], models[3]};
            for (int chunk : CHUNKINGS) {
                float[] got = run(new MultiSlerpKernel(), SHAPE, 2, chunk, weights(2, w), global, inputs);
                assertThat(worst(got, withBase, 2, true, inputs)).as("base, normalize %s", normalize)
                        .isLessThanOrEqualTo(TOLERANCE);
                got = run(new MultiSlerpKernel(), SHAPE, -1, chunk, weights(-1, w), global, models);
                assertThat(worst(got, without, -1, true, models)).as("normalize %s", normalize)
                        .isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    @Test
    void multislerpOfTwoAntipodalModelsIsTheirWeightedSum() {
        float[] a = random(12, 0, 1);
        float[] b = new float[a.length];
        for (int e = 0; e < a.length; e++) {
            b[e] = -2 * a[e];
        }
        float[] got = run(new MultiSlerpKernel(), SHAPE, -1, 5, weights(-1, 1, 1),
                Map.of("normalize_weights", true, "eps", 1e-8), a, b);
        for (int e = 0; e < a.length; e++) {
            assertThat(got[e]).isEqualTo(0.5f * a[e] + 0.5f * b[e]);
        }
    }

    @Test
    void multislerpRefusesMoreThanTwoModelsWhoseDirectionsCancel() {
        float[] a = random(13, 0, 1);
        float[] b = new float[a.length];
        for (int e = 0; e < a.length; e++) {
            b[e] = -a[e];
        }
        float[] c = random(14, 0, 1);
        assertThatThrownBy(() -> run(new MultiSlerpKernel(), SHAPE, -1, 5, weights(-1, 1, 1, 0),
                Map.of("normalize_weights", true, "eps", 1e-8), a, b, c))
                .isInstanceOf(UnmergeableTensorException.class)
                .hasMessage("multislerp cannot merge tensor w: the weighted sum of its 3 models' unit tensors is zero "
                        + "(antipodal models whose weights balance, such as a and -a at equal weights); change the "
                        + "weights");
    }

    @Test
    void oneModelIsReturnedAsItIs() {
        float[] base = random(15, 0, 1);
        float[] a = random(16, 0, 1);
        assertThat(run(new MultiSlerpKernel(), SHAPE, 0, 5, weights(0, 0.3),
                Map.of("normalize_weights", true, "eps", 1e-8), base, a)).containsExactly(a);
        assertThat(run(new KarcherKernel(), SHAPE, -1, 5, weights(-1, 0.3),
                Map.of("max_iter", 10.0, "tol", 1e-5), a)).containsExactly(a);
    }

    @Test
    void karcherMatchesTheReferenceAtEveryIterationCount() {
        float[][] inputs = {random(17, 0, 1), random(18, 0, 2), random(19, 0.3, 1), random(20, 0, 0.1)};
        double[] w = {1, 2, 0.5, 3};
        double[] previous = null;
        for (int iterations : new int[] {0, 1, 3, 10}) {
            double[] ref = SphericalReference.karcher(inputs, w, iterations, 1e-5);
            for (int chunk : CHUNKINGS) {
                float[] got = run(new KarcherKernel(), SHAPE, 1, chunk, weights(-1, w),
                        Map.of("max_iter", (double) iterations, "tol", 1e-5), inputs);
                assertThat(worst(got, ref, 1, false, inputs)).as("%d iterations", iterations)
                        .isLessThanOrEqualTo(TOLERANCE);
            }
            if (previous != null) {
                // Each step still moves the mean by far more than the tolerance: the iterations are exercised.
                assertThat(maxDifference(previous, ref)).as("%d iterations", iterations).isGreaterThan(1e-5);
            }
            previous = ref;
        }
    }

    @Test
    void karcherOfTwoWeightedDirectionsIsTheirSlerp() {
        // On a geodesic the weighted Karcher mean of u1, u2 with weights a1, a2 is slerp(u1, u2, a2 / (a1 + a2)),
        // which the fixed-point steps reach; times the weighted mean norm a1·n1 + a2·n2.
        float[] x = random(21, 0, 1);
        float[] y = random(22, 0, 3);
        double[] u = SphericalReference.point(x, null);
        double[] v = SphericalReference.point(y, null);
        double nx = SphericalReference.norm(u);
        double ny = SphericalReference.norm(v);
        double theta = Math.acos(SphericalReference.dot(u, v) / (nx * ny));
        double a2 = 0.25;
        double scale = 0.75 * nx + a2 * ny;
        float[] got = run(new KarcherKernel(), SHAPE, -1, 5, weights(-1, 3, 1), Map.of("max_iter", 10.0, "tol", 1e-5),
                x, y);
        for (int e = 0; e < x.length; e++) {
            double expected = scale * (Math.sin((1 - a2) * theta) / Math.sin(theta) * u[e] / nx
                    + Math.sin(a2 * theta) / Math.sin(theta) * v[e] / ny);
            assertThat((double) got[e]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5 * scale));
        }
    }

    @Test
    void karcherOfZeroTensorsIsZeroAndAZeroTensorOnlyLowersTheNorm() {
        float[] zero = new float[ROWS * COLS];
        float[] got = run(new KarcherKernel(), SHAPE, -1, 5, weights(-1, 1, 1), Map.of("max_iter", 10.0, "tol", 1e-5),
                zero, zero.clone());
        assertThat(got).containsOnly(0f);
        float[] a = random(23, 0, 1);
        float[] b = random(24, 0, 1);
        double[] ref = SphericalReference.karcher(new float[][] {a, zero, b}, new double[] {1, 1, 1}, 10, 1e-5);
        got = run(new KarcherKernel(), SHAPE, -1, 5, weights(-1, 1, 1, 1), Map.of("max_iter", 10.0, "tol", 1e-5),
                a, zero, b);
        assertThat(worst(got, ref, -1, false, a, zero, b)).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void karcherWithEqualWeightsIgnoresTheirScale() {
        float[][] inputs = {random(25, 0, 1), random(26, 0, 1), random(27, 0, 1)};
        float[] ones = run(new KarcherKernel(), SHAPE, -1, 5, weights(-1, 1, 1, 1),
                Map.of("max_iter", 10.0, "tol", 1e-5), inputs);
        float[] sevens = run(new KarcherKernel(), SHAPE, -1, 5, weights(-1, 7, 7, 7),
                Map.of("max_iter", 10.0, "tol", 1e-5), inputs);
        // 7/21 and 1/3 round to the same double: the same coefficients, the same floats.
        assertThat(sevens).containsExactly(ones);
    }
}
