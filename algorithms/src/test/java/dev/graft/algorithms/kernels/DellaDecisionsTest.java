package dev.graft.algorithms.kernels;

import dev.graft.algorithms.sparsify.DellaSparsifier;
import dev.graft.core.kernel.TensorParameters;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DELLA masks every delta twice when it rescales (the rescale's pass, then the merge's): the decisions its first pass
 * keeps give the same values, bit for bit, as ranking and drawing again.
 */
class DellaDecisionsTest {
    private static final Shape SHAPE = Shape.of(24, 40);

    private static List<Integer> merge(DellaSparsifier sparsifier, boolean consensus, boolean rescale,
                                       float[]... inputs) {
        ArrayInputs in = new ArrayInputs(SHAPE, 0, 5, inputs);
        List<Map<String, Object>> perModel = List.of(Map.of(),
                Map.of("weight", 1.0, "density", 0.5, "epsilon", 0.1),
                Map.of("weight", 0.5, "density", 0.7, "epsilon", 0.2));
        List<Integer> written = new ArrayList<>();
        new TaskVectorKernel(sparsifier, consensus).merge(in, new TensorParameters("t", List.of("base", "a", "b"),
                perModel, Map.of("normalize", true, "lambda", 1.0, "rescale", rescale), 42, 1),
                (values, from, count) -> {
                    for (int e = from; e < from + count; e++) {
                        written.add(Float.floatToRawIntBits(values[e]));
                    }
                });
        assertThat(in.passes()).hasSize(rescale ? 2 : 1);
        return written;
    }

    @Test
    void keptDecisionsGiveTheValuesThatDrawingAgainGives() {
        SplittableRandom r = new SplittableRandom(5);
        int n = (int) SHAPE.elementCount();
        float[] base = new float[n];
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            base[i] = (float) r.nextGaussian();
            a[i] = base[i] + (float) (r.nextGaussian() * 0.01);
            b[i] = i % 7 == 0 ? base[i] : base[i] + (float) (r.nextGaussian() * 0.01);
        }
        for (boolean consensus : new boolean[] {true, false}) {
            for (boolean rescale : new boolean[] {true, false}) {
                List<Integer> kept = merge(new DellaSparsifier(), consensus, rescale, base, a, b);
                List<Integer> drawn = merge(new DellaSparsifier(0), consensus, rescale, base, a, b);
                assertThat(kept).as("consensus %s, rescale %s", consensus, rescale).isEqualTo(drawn);
                // And the merge is not the base: the deltas were there to be kept or dropped.
                assertThat(kept).isNotEqualTo(merge(new DellaSparsifier(), consensus, rescale, base, base, base));
            }
        }
    }
}
