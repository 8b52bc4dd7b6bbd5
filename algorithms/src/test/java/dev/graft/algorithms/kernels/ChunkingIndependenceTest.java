package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorKernel;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The spherical kernels' results do not depend on how the executor cuts a tensor into chunks: the same bits for
 * chunks of one row, of a few rows (so that chunks, and the blocks inside them, start at every phase of the
 * summation's four accumulators and straddle its {@value TensorDot#BLOCK}-element blocks), and of the whole tensor.
 */
class ChunkingIndependenceTest {
    /** 29,100 elements: two of TensorDot's blocks, rows of an odd length. */
    private static final int ROWS = 300;
    private static final int COLS = 97;
    private static final Shape SHAPE = Shape.of(ROWS, COLS);
    private static final int[] CHUNKINGS = {1, 3, 64, 169, ROWS - 1};

    private static float[] random(long seed, double mean) {
        float[] x = SphericalKernelsTest.random(seed, mean, 1);
        float[] big = new float[ROWS * COLS];
        SplittableRandom r = new SplittableRandom(seed);
        for (int e = 0; e < big.length; e++) {
            big[e] = x[e % x.length] + (float) (r.nextGaussian() * 0.3);
        }
        return big;
    }

    private static void assertSameInEveryChunking(String what, Supplier<TensorKernel> kernel, int base,
                                                  List<Map<String, Object>> perModel, Map<String, Object> global,
                                                  float[]... inputs) {
        float[] whole = SphericalKernelsTest.run(kernel.get(), SHAPE, base, ROWS, perModel, global, inputs);
        for (int rows : CHUNKINGS) {
            float[] got = SphericalKernelsTest.run(kernel.get(), SHAPE, base, rows, perModel, global, inputs);
            KernelRun.assertSame(got, whole, what + ", chunks of " + rows + " rows");
        }
    }

    @Test
    void slerp() {
        float[] a = random(1, 0.2);
        float[] b = random(2, 0.2);
        for (int base : new int[] {0, 1}) {
            float[] out = KernelRun.run(new SlerpKernel(), SHAPE, base, ROWS, Map.of("t", 0.3), 1, a, b);
            for (int rows : CHUNKINGS) {
                KernelRun.assertSame(KernelRun.run(new SlerpKernel(), SHAPE, base, rows, Map.of("t", 0.3), 1, a, b),
                        out, "slerp, base " + base + ", chunks of " + rows + " rows");
            }
        }
    }

    @Test
    void nuslerpInEachLayout() {
        float[] base = random(3, 0.5);
        float[] a = random(4, 0.5);
        float[] b = random(5, 0.5);
        for (boolean flatten : new boolean[] {true, false}) {
            for (boolean rowWise : new boolean[] {false, true}) {
                Map<String, Object> global = Map.of("nuslerp_flatten", flatten, "nuslerp_row_wise", rowWise);
                String layout = "nuslerp flatten " + flatten + " row_wise " + rowWise;
                assertSameInEveryChunking(layout + ", base", NuSlerpKernel::new, 1,
                        SphericalKernelsTest.weights(1, 0.3, 0.9), global, a, base, b);
                assertSameInEveryChunking(layout, NuSlerpKernel::new, -1,
                        SphericalKernelsTest.weights(-1, 0.3, 0.9), global, a, b);
            }
        }
    }

    @Test
    void multislerpAndKarcher() {
        float[][] models = {random(6, 0.1), random(7, 0.1), random(8, 0.1)};
        float[] base = random(9, 0.1);
        assertSameInEveryChunking("multislerp, base", MultiSlerpKernel::new, 3,
                SphericalKernelsTest.weights(3, 0.5, 1, 2), Map.of("normalize_weights", true, "eps", 1e-8),
                models[0], models[1], models[2], base);
        assertSameInEveryChunking("multislerp", MultiSlerpKernel::new, -1,
                SphericalKernelsTest.weights(-1, 0.5, 1, 2), Map.of("normalize_weights", true, "eps", 1e-8),
                models);
        assertSameInEveryChunking("karcher", KarcherKernel::new, -1, SphericalKernelsTest.weights(-1, 0.5, 1, 2),
                Map.of("max_iter", 10.0, "tol", 1e-5), models);
    }

    /**
     * What the outputs above rest on, and where a dependence on the chunking would show first: a sum's last bits
     * rarely survive the rounding of the coefficients to float32, the Gram matrix's always show.
     */
    @Test
    void theGramMatrixIsTheSameBitsInEveryChunking() {
        float[][] models = {random(12, 0.1), random(13, 0.1), random(14, 0.1)};
        for (boolean taskVectors : new boolean[] {false, true}) {
            Gram whole = new PointScan(new ArrayInputs(SHAPE, 2, ROWS, models), taskVectors).gram();
            for (int rows : CHUNKINGS) {
                Gram cut = new PointScan(new ArrayInputs(SHAPE, 2, rows, models), taskVectors).gram();
                for (int i = 0; i < whole.size(); i++) {
                    for (int j = 0; j < whole.size(); j++) {
                        assertThat(Double.doubleToRawLongBits(cut.get(i, j)))
                                .as("G[%d][%d], task vectors %b, chunks of %d rows", i, j, taskVectors, rows)
                                .isEqualTo(Double.doubleToRawLongBits(whole.get(i, j)));
                    }
                }
            }
        }
    }

    @Test
    void theTensorSumIsTheSameBitsHoweverItsSpansAreCut() {
        float[] x = random(10, 0);
        float[] y = random(11, 0);
        TensorDot once = new TensorDot();
        once.add(0, x, 0, y, 0, x.length);
        for (int span : new int[] {1, 3, 97, 5_000, TensorDot.BLOCK, TensorDot.BLOCK + 1}) {
            TensorDot cut = new TensorDot();
            for (int at = 0; at < x.length; at += span) {
                cut.add(at, x, at, y, at, Math.min(span, x.length - at));
            }
            assertThat(Double.doubleToRawLongBits(cut.value())).as("spans of %d", span)
                    .isEqualTo(Double.doubleToRawLongBits(once.value()));
        }
        // And it is the dot product: within rounding of a plain double sum.
        double plain = 0;
        for (int e = 0; e < x.length; e++) {
            plain += (double) x[e] * y[e];
        }
        assertThat(once.value()).isCloseTo(plain, offset(1e-9));
    }
}
