package dev.graft.algorithms.kernels;

import dev.graft.algorithms.spectral.IsoCMerge;
import dev.graft.algorithms.spectral.IsoCtsMerge;
import dev.graft.algorithms.spectral.MatrixMerge;
import dev.graft.algorithms.spectral.SpectralKernel;
import dev.graft.algorithms.spectral.SvdPolicy;
import dev.graft.algorithms.spectral.TsvMerge;
import dev.graft.algorithms.spectral.WudiMerge;
import dev.graft.core.method.ParameterDef;
import dev.graft.formats.tensor.Shape;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The four SVD merges through their kernel against {@link SpectralOracle}'s exact double-precision versions on
 * Commons Math's SVD: the merged task vector {@code θ − θ_base} within 1e-5 of the oracle's, relative in Frobenius
 * norm, for tall, wide and square matrices and two to four tasks.
 */
class SpectralParityTest {
    private static final double TOLERANCE = 1e-5;

    /** A family: base then fine-tunes, base ~ N(0, 1), task vectors ~ N(0, 0.1²). */
    private static float[][] family(long seed, int tasks, int elements) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] in = new float[tasks + 1][];
        in[0] = KernelRun.gaussian(rng, elements, 1);
        for (int i = 1; i <= tasks; i++) {
            in[i] = KernelRun.plus(in[0], KernelRun.gaussian(rng, elements, 0.1));
        }
        return in;
    }

    private static List<RealMatrix> taskVectors(float[][] in, int rows, int cols) {
        List<RealMatrix> out = new ArrayList<>();
        for (int i = 1; i < in.length; i++) {
            float[] d = new float[in[0].length];
            for (int e = 0; e < d.length; e++) {
                d[e] = in[i][e] - in[0][e];
            }
            out.add(SpectralOracle.matrix(d, rows, cols));
        }
        return out;
    }

    private static float[] merge(MatrixMerge merge, boolean scaled, Shape shape, Map<String, Object> global,
                                 double lines, float[][] in) {
        // Two rows per chunk: the kernel must assemble whole matrices from chunks.
        return KernelRun.run(new SpectralKernel("test", merge, scaled), shape, 0, 2, global, lines, in);
    }

    /** ‖(out − base) − expected‖ / ‖expected‖. */
    private static double relativeError(float[] out, float[] base, RealMatrix expected) {
        int cols = expected.getColumnDimension();
        double diff = 0;
        double norm = 0;
        for (int e = 0; e < out.length; e++) {
            double x = expected.getEntry(e / cols, e % cols);
            double d = (double) out[e] - base[e] - x;
            diff += d * d;
            norm += x * x;
        }
        return Math.sqrt(diff / norm);
    }

    private static void check(MatrixMerge merge, boolean scaled, Map<String, Object> global, double factor,
                              Function<List<RealMatrix>, RealMatrix> oracle) {
        int[][] shapes = {{12, 8}, {7, 10}, {9, 9}};
        for (int tasks = 2; tasks <= 4; tasks++) {
            for (int[] s : shapes) {
                float[][] in = family(31L * tasks + s[0], tasks, s[0] * s[1]);
                float[] out = merge(merge, scaled, Shape.of(s[0], s[1]), global, 0.75, in);
                RealMatrix expected = oracle.apply(taskVectors(in, s[0], s[1])).scalarMultiply(factor * 0.75);
                assertThat(relativeError(out, in[0], expected)).as("%d tasks, %dx%d", tasks, s[0], s[1])
                        .isLessThan(TOLERANCE);
            }
        }
    }

    /**
     * The Gram path ({@code exactBelow} 0 puts these small matrices on it) against the exact oracle, within the
     * policy's tolerance; and not the exact path's bytes, so the path was taken.
     */
    private static void checkGramPath(Function<SvdPolicy, MatrixMerge> method, Map<String, Object> global,
                                      double factor, Function<List<RealMatrix>, RealMatrix> oracle) {
        SvdPolicy gram = new SvdPolicy(0, 8, 1e-4);
        for (int[] s : new int[][] {{240, 80}, {80, 240}}) {
            float[][] in = family(7L * s[0], 3, s[0] * s[1]);
            float[] out = merge(method.apply(gram), true, Shape.of(s[0], s[1]), global, 1, in);
            RealMatrix expected = oracle.apply(taskVectors(in, s[0], s[1])).scalarMultiply(factor);
            assertThat(relativeError(out, in[0], expected)).as("%dx%d", s[0], s[1]).isLessThan(1e-4);
            float[] exact = merge(method.apply(SvdPolicy.DEFAULT), true, Shape.of(s[0], s[1]), global, 1, in);
            assertThat(out).as("%dx%d through the Gram path", s[0], s[1]).isNotEqualTo(exact);
        }
    }

    @Test
    void theGramPathOfEachMethodMatchesTheExactOracleWithinItsTolerance() {
        checkGramPath(TsvMerge::new, global("fraction", 1.0 / 3, "lambda", 1.0), 1.0,
                t -> SpectralOracle.tsv(t, 1.0 / 3));
        checkGramPath(IsoCMerge::new, global("lambda", 1.0), 1.0, SpectralOracle::isoC);
        checkGramPath(IsoCtsMerge::new, global("common_fraction", 0.8, "lambda", 1.0), 1.0,
                t -> SpectralOracle.isoCts(t, 0.8));
    }

    private static Map<String, Object> global(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void tsvMatchesTheExactOracleWithTheDefaultFractionOneOverT() {
        for (int tasks = 2; tasks <= 4; tasks++) {
            int t = tasks;
            float[][] in = family(7 + t, t, 12 * 8);
            float[] out = merge(new TsvMerge(SvdPolicy.DEFAULT), true, Shape.of(12, 8),
                    global("fraction", new ParameterDef.Rule("1/T"), "lambda", 1.3), 0.75, in);
            RealMatrix expected = SpectralOracle.tsv(taskVectors(in, 12, 8), 1.0 / t).scalarMultiply(1.3 * 0.75);
            assertThat(relativeError(out, in[0], expected)).as("%d tasks", t).isLessThan(TOLERANCE);
        }
    }

    @Test
    void tsvMatchesTheExactOracleWithAGivenFraction() {
        check(new TsvMerge(SvdPolicy.DEFAULT), true, global("fraction", 0.25, "lambda", 0.9), 0.9,
                tasks -> SpectralOracle.tsv(tasks, 0.25));
        // More than 1/T: the stacked singular vectors outnumber the dimensions and polar factors still apply.
        check(new TsvMerge(SvdPolicy.DEFAULT), true, global("fraction", 0.8, "lambda", 1.0), 1.0,
                tasks -> SpectralOracle.tsv(tasks, 0.8));
    }

    @Test
    void isoCMatchesTheExactOracle() {
        check(new IsoCMerge(SvdPolicy.DEFAULT), true, global("lambda", 1.1), 1.1, SpectralOracle::isoC);
    }

    @Test
    void isoCtsMatchesTheExactOracle() {
        check(new IsoCtsMerge(SvdPolicy.DEFAULT), true, global("common_fraction", 0.8, "lambda", 1.0), 1.0,
                tasks -> SpectralOracle.isoCts(tasks, 0.8));
        check(new IsoCtsMerge(SvdPolicy.DEFAULT), true, global("common_fraction", 0.5, "lambda", 0.6), 0.6,
                tasks -> SpectralOracle.isoCts(tasks, 0.5));
    }

    @Test
    void wudiMatchesAdamOnTheLossAsWritten() {
        check(new WudiMerge(), false, global("steps", 40.0, "lr", 1e-3), 1.0,
                tasks -> SpectralOracle.wudi(tasks, 40, 1e-3));
    }

    @Test
    void wudiWithNoStepsIsTheSumOfTheTaskVectors() {
        float[][] in = family(3, 3, 6 * 5);
        float[] out = merge(new WudiMerge(), false, Shape.of(6, 5), global("steps", 0.0, "lr", 1e-5), 1, in);
        for (int e = 0; e < out.length; e++) {
            float sum = (in[1][e] - in[0][e]) + (in[2][e] - in[0][e]) + (in[3][e] - in[0][e]);
            assertThat(out[e]).isEqualTo(in[0][e] + sum);
        }
    }

    @Test
    void isoCtsSubspaceSizesFollowTheAuthorsRounding() {
        // r = 10, T = 3: k = 8, (10 − 8)/3 = 0.67 rounds to 1 → 3 task-specific directions, k = 7.
        assertThat(IsoCtsMerge.sizes(10, 3, 0.8)).containsExactly(7, 1);
        // r = 10, T = 4: (10 − 8)/4 = 0.5 rounds to even, 0 → everything common.
        assertThat(IsoCtsMerge.sizes(10, 4, 0.8)).containsExactly(10, 0);
        // r = 4096, T = 8: k = 3276, 820/8 = 102.5 → 102 per task, k = 3280.
        assertThat(IsoCtsMerge.sizes(4096, 8, 0.8)).containsExactly(3280, 102);
        // r = 2, T = 3, fraction 0.2: k = 0 would leave no common direction; one is kept.
        assertThat(IsoCtsMerge.sizes(2, 3, 0.2)).containsExactly(2, 0);
    }

    @Test
    void tensorsThatAreNotMatricesTakeTheMeanOfTheTaskVectors() {
        float[] base = {1, 2, 3, 4};
        float[] ft1 = {1.5f, 2, 2, 4};
        float[] ft2 = {2.5f, 2, 3, 5};
        float[] out = merge(new IsoCMerge(SvdPolicy.DEFAULT), true, Shape.of(4), global("lambda", 2.0), 0.5, new float[][] {base, ft1, ft2});
        // base + 2 · 0.5 · mean(δ): δ mean = (1, 0, −0.5, 0.5)
        assertThat(out).containsExactly(2, 2, 2.5f, 4.5f);
        float[] wudi = merge(new WudiMerge(), false, Shape.of(4), global("steps", 300.0, "lr", 1e-5), 1,
                new float[][] {base, ft1, ft2});
        assertThat(wudi).containsExactly(2, 2, 2.5f, 4.5f);
    }

    @Test
    void aNonFiniteTaskVectorIsRefusedNamingTheTensorAndTheModel() {
        float[][] in = family(5, 2, 4 * 3);
        in[2][7] = Float.NaN;
        UnmergeableTensorException e = catchThrowableOfType(UnmergeableTensorException.class,
                () -> merge(new TsvMerge(SvdPolicy.DEFAULT), true, Shape.of(4, 3),
                        global("fraction", 0.5, "lambda", 1.0), 1, in));
        assertThat(e).hasMessage("test cannot merge tensor t: the task vector of ft2 holds 1 non-finite value "
                + "(NaN or ±Inf, in the model or its difference from the base), and an SVD of it is undefined; "
                + "nothing was written");
        // Finite models whose difference overflows float32 are refused the same way.
        float[][] wide = {{-3e38f, 0, 0, 0}, {3e38f, 0, 0, 0}, {0, 1, 0, 0}};
        assertThat(catchThrowableOfType(UnmergeableTensorException.class,
                () -> merge(new IsoCMerge(SvdPolicy.DEFAULT), true, Shape.of(2, 2), global("lambda", 1.0), 1, wide)))
                .hasMessageContaining("the task vector of ft1 holds 1 non-finite value");
    }

    @Test
    void oneModelBesidesTheBaseIsRefusedNamingTheTensor() {
        float[][] in = family(5, 1, 4 * 3);
        assertThat(catchThrowableOfType(UnmergeableTensorException.class,
                () -> merge(new IsoCMerge(SvdPolicy.DEFAULT), true, Shape.of(4, 3), global("lambda", 1.0), 1, in)))
                .hasMessage("test needs a base model and at least two models besides it for tensor t, got 1");
    }

    @Test
    void theRandomizedSvdOfVocabularyShapedMatricesStaysCloseToTheExactMerge() {
        // 640 × 40 is vocabulary-shaped for a policy with exactBelow 16 (16:1 ≥ 8): the per-task top 13 of TSV-M
        // come from the randomized SVD. Task vectors with a decaying spectrum, as fine-tunes have.
        SplittableRandom rng = new SplittableRandom(11);
        int m = 640;
        int n = 40;
        float[][] in = new float[4][];
        in[0] = KernelRun.gaussian(rng, m * n, 1);
        for (int i = 1; i <= 3; i++) {
            float[] d = new float[m * n];
            for (int j = 0; j < n; j++) {
                float[] a = KernelRun.gaussian(rng, m, 1);
                float[] b = KernelRun.gaussian(rng, n, 1);
                double sigma = 1.0 / (1 + j);
                for (int e = 0; e < m * n; e++) {
                    d[e] += (float) (sigma * a[e / n] * b[e % n] / Math.sqrt(m));
                }
            }
            in[i] = KernelRun.plus(in[0], d);
        }
        SvdPolicy vocabulary = new SvdPolicy(16, 8);
        assertThat(vocabulary.randomized(m, n, 13)).isTrue();
        assertThat(SvdPolicy.DEFAULT.randomized(m, n, 13)).isFalse();
        assertThat(SvdPolicy.DEFAULT.randomized(131072, 4096, 1365)).isTrue();
        assertThat(SvdPolicy.DEFAULT.randomized(8192, 2048, 682)).isFalse();
        float[] out = merge(new TsvMerge(vocabulary), true, Shape.of(m, n), global("fraction", 1.0 / 3, "lambda", 1.0),
                1, in);
        RealMatrix expected = SpectralOracle.tsv(taskVectors(in, m, n), 1.0 / 3);
        assertThat(relativeError(out, in[0], expected)).isLessThan(2e-2);
    }
}
