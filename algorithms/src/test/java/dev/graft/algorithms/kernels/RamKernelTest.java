package dev.graft.algorithms.kernels;

import dev.graft.algorithms.SelectiveReference;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static dev.graft.algorithms.kernels.KernelRun.assertSame;
import static dev.graft.algorithms.kernels.KernelRun.run;

class RamKernelTest {
    private static final Map<String, Object> RAM = Map.of("epsilon", 1e-5);
    private static final Map<String, Object> PLUS = Map.of("r", 0.1, "alpha", 0.2, "epsilon", 1e-5);

    @Test
    void uniqueChangesAreKeptAndSharedOnesAveraged() {
        float[] base = {0, 0, 0, 0, 1};
        float[] ft1 = {0.5f, 0.2f, 0, 1e-6f, 1};
        float[] ft2 = {0, 0.4f, 0, 0, 1.5f};
        // Element 0 changed by ft1 only, 1 by both, 2 and 3 by neither (1e-6 <= epsilon), 4 by ft2 only.
        float[] expected = {0.5f, 0.3f, 0, 0, 1.5f};
        assertSame(run(new RamKernel(false), Shape.of(5), 0, 1, RAM, 1, base, ft1, ft2), expected, "ram");
    }

    @Test
    void ramPlusScalesUniqueChangesByTheSharedToUniqueRatio() {
        float[] base = {0, 0, 0, 0, 0, 0};
        float[] ft1 = {0.5f, 0.2f, 0.1f, 0.1f, 0, 0};
        float[] ft2 = {0, 0.4f, 0.3f, 0.1f, 0, 0.25f};
        // ft1: 1 unique, 3 shared: rho 3, clamped to alpha 0.2: lambda 1.02. ft2: 1 unique, 3 shared: 1.02 too.
        float[] expected = {(float) (0.5f * 1.02), 0.3f, (float) ((0.1f + 0.3f) / 2.0), 0.1f, 0,
                (float) (0.25f * 1.02)};
        assertSame(run(new RamKernel(true), Shape.of(6), 0, 1, PLUS, 1, base, ft1, ft2), expected, "ramplus");
        // alpha 5 lets rho 3 through: lambda = 1 + 0.1·3 = 1.3.
        float[] wide = {(float) (0.5f * 1.3), 0.3f, (float) ((0.1f + 0.3f) / 2.0), 0.1f, 0, (float) (0.25f * 1.3)};
        assertSame(run(new RamKernel(true), Shape.of(6), 0, 1, Map.of("r", 0.1, "alpha", 5.0, "epsilon", 1e-5), 1,
                base, ft1, ft2), wide, "ramplus alpha 5");
    }

    @Test
    void aModelWithNoUniqueChangeGetsRhoOverEpsilonClampedToAlpha() {
        float[] base = {0, 0, 0};
        float[] ft1 = {0.5f, 0.2f, 0};
        float[] ft2 = {0, 0.4f, 0};
        // ft2 has no unique change: rho = 1 / 1e-5, clamped to 0.2; ft1's unique element gets 1 + 0.1·min(1, 0.2).
        float[] expected = {(float) (0.5f * 1.02), 0.3f, 0};
        assertSame(run(new RamKernel(true), Shape.of(3), 0, 1, PLUS, 1, base, ft1, ft2), expected, "ramplus");
    }

    @Test
    void randomSparseFloat32DeltasMatchTheReferenceExactly() {
        SplittableRandom rng = new SplittableRandom(5);
        int rows = 72;
        int cols = 100;
        float[] base = KernelRun.gaussian(rng, rows * cols, 0.05);
        float[][] models = new float[3][];
        for (int k = 0; k < 3; k++) {
            float[] delta = new float[base.length];
            for (int i = 0; i < delta.length; i++) {
                double u = rng.nextDouble();
                // About 35% real changes, 15% changes at or below epsilon, the rest unchanged.
                delta[i] = u < 0.35 ? (float) (KernelRun.gaussian(rng) * 0.01)
                        : u < 0.5 ? (float) (rng.nextDouble() * 1e-5) : 0;
            }
            models[k] = KernelRun.plus(base, delta);
        }
        float[][] inputs = {base, models[0], models[1], models[2]};
        for (double lines : new double[] {1, 0.6}) {
            float[] ram = SelectiveReference.ram(base, models, false, 0, 0, 1e-5, lines);
            float[] plus = SelectiveReference.ram(base, models, true, 0.1, 0.2, 1e-5, lines);
            float[] plusWide = SelectiveReference.ram(base, models, true, 0.3, 2, 1e-5, lines);
            for (int rowsPerChunk : new int[] {1, 5, rows}) {
                Shape shape = Shape.of(rows, cols);
                String at = "lines " + lines + ", chunks of " + rowsPerChunk;
                assertSame(run(new RamKernel(false), shape, 0, rowsPerChunk, RAM, lines, inputs), ram, "ram, " + at);
                assertSame(run(new RamKernel(true), shape, 0, rowsPerChunk, PLUS, lines, inputs), plus,
                        "ramplus, " + at);
                assertSame(run(new RamKernel(true), shape, 0, rowsPerChunk,
                        Map.of("r", 0.3, "alpha", 2.0, "epsilon", 1e-5), lines, inputs), plusWide, "ramplus wide, " + at);
            }
        }
    }
}
