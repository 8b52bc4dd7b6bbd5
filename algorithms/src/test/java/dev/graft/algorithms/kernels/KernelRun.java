package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorParameters;
import dev.graft.formats.tensor.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a kernel over in-memory inputs and checks what it wrote; random inputs for the kernels' tests. */
final class KernelRun {
    private KernelRun() {
    }

    /**
     * The output of {@code kernel} on {@code inputs} (input {@code base} the base model), read in chunks of
     * {@code rowsPerChunk} rows, with the given global parameters and LiNeS scale.
     */
    static float[] run(TensorKernel kernel, Shape shape, int base, int rowsPerChunk, Map<String, Object> global,
                       double linesScale, float[]... inputs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            names.add(i == base ? "base" : "ft" + i);
        }
        float[] out = new float[inputs[0].length];
        int[] written = {0};
        kernel.merge(new ArrayInputs(shape, base, rowsPerChunk, inputs),
                new TensorParameters("t", names, Collections.nCopies(inputs.length, Map.of()), global, 0, linesScale),
                (values, from, count) -> {
                    System.arraycopy(values, from, out, written[0], count);
                    written[0] += count;
                });
        assertThat(written[0]).as("elements written").isEqualTo(inputs[0].length);
        return out;
    }

    /** Asserts float32 equality element by element (+0 and −0 equal), naming the first difference. */
    static void assertSame(float[] actual, float[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        long differ = 0;
        String first = null;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] != expected[i]) {
                differ++;
                if (first == null) {
                    first = "[" + i + "] " + actual[i] + " vs expected " + expected[i];
                }
            }
        }
        assertThat(differ).as("%s: elements that differ; first %s", what, first).isZero();
    }

    /** n values from N(0, sigma²). */
    static float[] gaussian(SplittableRandom rng, int n, double sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (gaussian(rng) * sigma);
        }
        return v;
    }

    /** {@code base + delta}, element by element, in float32. */
    static float[] plus(float[] base, float[] delta) {
        float[] v = new float[base.length];
        for (int i = 0; i < base.length; i++) {
            v[i] = base[i] + delta[i];
        }
        return v;
    }

    static double gaussian(SplittableRandom rng) {
        // Box-Muller; the test data need not be fast, only reproducible.
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
