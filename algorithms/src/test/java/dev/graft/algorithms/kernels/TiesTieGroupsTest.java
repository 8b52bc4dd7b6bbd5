package dev.graft.algorithms.kernels;

import dev.graft.algorithms.simd.Simd;
import dev.graft.core.kernel.TensorParameters;
import dev.graft.core.method.MethodRegistry;
import dev.graft.formats.simd.VectorWork;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TIES on deltas with few distinct magnitudes, as bf16 fine-tunes give: every cut falls inside a tie group of tens
 * of thousands of elements, so the quota of kept ties runs out over many blocks, which the fused merge settles by
 * counting each block's ties. The result is the formula's, bit for bit, computed here element by element: each
 * delta's top k by magnitude (ties by lowest index), the sign of {@code Σ wᵢδᵢ} elected (+ for 0), the agreeing
 * terms' weighted mean.
 */
class TiesTieGroupsTest {
    private static final int ROWS = 96;
    private static final int COLS = 4096;
    private static final int N = ROWS * COLS;

    /** Deltas in multiples of 1/64 up to ±4/64: nine values, magnitudes 0 to 4/64. */
    private static float[] model(SplittableRandom rng, float[] base) {
        float[] x = new float[N];
        for (int e = 0; e < N; e++) {
            x[e] = base[e] + (rng.nextInt(9) - 4) / 64f;
        }
        return x;
    }

    /** The indices kept by the top-k of {@code |d|}, lowest index first among equal magnitudes. */
    private static boolean[] topK(float[] d, int k) {
        Integer[] order = new Integer[d.length];
        for (int i = 0; i < d.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(Math.abs(d[b]), Math.abs(d[a]));
            return c != 0 ? c : Integer.compare(a, b);
        });
        boolean[] keep = new boolean[d.length];
        for (int i = 0; i < k; i++) {
            keep[order[i]] = true;
        }
        return keep;
    }

    private static float[] expected(float[] base, float[][] models, float[] w, double[] density) {
        int n = models.length;
        float[][] d = new float[n][N];
        for (int k = 0; k < n; k++) {
            for (int e = 0; e < N; e++) {
                d[k][e] = models[k][e] - base[e];
            }
            boolean[] keep = topK(d[k], (int) (density[k] * N));
            for (int e = 0; e < N; e++) {
                d[k][e] = keep[e] ? d[k][e] : 0f;
            }
        }
        float[] r = new float[N];
        for (int e = 0; e < N; e++) {
            float vote = 0f;
            for (int k = 0; k < n; k++) {
                vote += w[k] * d[k][e];
            }
            float sign = Math.copySign(1f, vote);
            float mixed = 0f;
            float divisor = 0f;
            for (int k = 0; k < n; k++) {
                float weighted = w[k] * d[k][e];
                float agree = weighted * sign > 0 ? 1f : 0f;
                mixed += weighted * agree;
                divisor += w[k] * agree;
            }
            r[e] = base[e] + mixed / (divisor == 0f ? 1f : divisor);
        }
        return r;
    }

    @Test
    void cutsInsideHugeTieGroupsGiveTheFormulasBits() {
        SplittableRandom rng = new SplittableRandom(14);
        float[] base = KernelRun.gaussian(rng, N, 0.02);
        float[][] models = {model(rng, base), model(rng, base), model(rng, base)};
        float[] w = {1f, 0.5f, 1f};
        // 2/9 of the deltas have each nonzero magnitude: densities 0.3 and 0.5 cut inside the 3/64 and 2/64 groups.
        List<Map<String, Object>> perModel = List.of(Map.of(), Map.of("weight", 1.0, "density", 0.3),
                Map.of("weight", 0.5, "density", 0.5), Map.of("weight", 1.0, "density", 0.3));
        float[] out = new float[N];
        int[] written = {0};
        ArrayInputs in = new ArrayInputs(Shape.of(ROWS, COLS), 0, 32, base, models[0], models[1], models[2]);
        MethodRegistry.load().find("ties").orElseThrow().kernel().merge(in,
                new TensorParameters("t", List.of("base", "ft1", "ft2", "ft3"), perModel,
                        Map.of("normalize", true, "lambda", 1.0), 0, 1),
                (values, from, count) -> {
                    System.arraycopy(values, from, out, written[0], count);
                    written[0] += count;
                });
        assertThat(written[0]).isEqualTo(N);
        KernelRun.assertSame(out, expected(base, models, w, new double[] {0.3, 0.5, 0.3}),
                "ties on tie-heavy deltas");
    }

    @Test
    void runsTheFormsTheBuildAsksFor() {
        // This class runs twice: with the vector loops (graft.simd.work=0) and with the scalar ones (the largest
        // threshold there is); a run that set neither would test only what a small merge runs.
        String work = System.getProperty("graft.simd.work");
        assertThat(work).as("graft.simd.work, which the build sets").isIn("0", String.valueOf(Long.MAX_VALUE));
        assertThat(VectorWork.threshold()).isEqualTo(Long.parseLong(work));
        assertThat(Simd.active()).isEqualTo(Simd.ENABLED && work.equals("0"));
    }
}
