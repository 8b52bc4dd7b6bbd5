package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorParameters;
import dev.graft.core.method.MethodRegistry;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kernels read their final pass through {@code lastScan}, so that the executor streams it through chunk buffers
 * instead of keeping the decoded tensor for a pass that never comes: single-pass methods make only that pass,
 * multi-pass ones make their statistics passes first. What they write is the formula's value, exactly.
 */
class LastScanTest {
    private static final MethodRegistry METHODS = MethodRegistry.load();
    private static final Shape SHAPE = Shape.of(2, 3);
    private static final float[] BASE = {1, 2, 3, 4, 5, 6};
    private static final float[] FT1 = {1.5f, 2, 2, 4.25f, 5, 7};
    private static final float[] FT2 = {0.5f, 2.5f, 3, 3.5f, 6, 6.5f};

    /** What a kernel wrote and the passes it made over its inputs (in chunks of one row). */
    private record Run(List<Float> written, List<String> passes) {
    }

    private static Run run(String method, List<Map<String, Object>> perModel, Map<String, Object> global,
                           int base, float[]... inputs) {
        ArrayInputs in = new ArrayInputs(SHAPE, base, 1, inputs);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            names.add("m" + i);
        }
        List<Float> written = new ArrayList<>();
        METHODS.find(method).orElseThrow().kernel().merge(in,
                new TensorParameters("t", names, perModel, global, 0, 1), (values, from, count) -> {
                    for (int e = from; e < from + count; e++) {
                        written.add(values[e]);
                    }
                });
        return new Run(written, in.passes());
    }

    private static final Map<String, Object> WEIGHT_1 = Map.of("weight", 1.0);

    @Test
    void taskArithmeticMakesOnePassTheLast() {
        Run r = run("task_arithmetic", List.of(Map.of(), WEIGHT_1, WEIGHT_1),
                Map.of("normalize", false, "lambda", 1.0), 0, BASE, FT1, FT2);
        assertThat(r.passes()).containsExactly("last");
        // base + (ft1 − base) + (ft2 − base)
        assertThat(r.written()).containsExactly(1f, 2.5f, 2f, 3.75f, 6f, 7.5f);
    }

    @Test
    void linearMakesOnePassTheLast() {
        Run r = run("linear", List.of(Map.of("weight", 2.0), WEIGHT_1, WEIGHT_1), Map.of("normalize", true), -1,
                BASE, FT1, FT2);
        assertThat(r.passes()).containsExactly("last");
        // (2·base + ft1 + ft2) / 4
        assertThat(r.written()).containsExactly(1f, 2.125f, 2.75f, 3.9375f, 5.25f, 6.375f);
    }

    @Test
    void nearswapMakesOnePassTheLast() {
        Run r = run("nearswap", List.of(Map.of(), Map.of()), Map.of("t", 0.5), 0, BASE, FT1);
        assertThat(r.passes()).containsExactly("last");
        // |d| ≤ t: the fine-tune's value; else base + (t / |d|)·d: 3 → 2.5 (d = −1), 6 → 6.5 (d = 1).
        assertThat(r.written()).containsExactly(1.5f, 2f, 2.5f, 4.25f, 5f, 6.5f);
    }

    @Test
    void passthroughOfOneModelMakesOnePassTheLast() {
        Run r = run("passthrough", List.of(Map.of("scale", 2.0)), Map.of(), -1, FT1);
        assertThat(r.passes()).containsExactly("last");
        assertThat(r.written()).containsExactly(3f, 4f, 4f, 8.5f, 10f, 14f);
    }

    @Test
    void tiesSelectsInEarlierPassesAndMergesInTheLast() {
        Map<String, Object> ft = Map.of("weight", 1.0, "density", 0.5);
        Run r = run("ties", List.of(Map.of(), ft, ft), Map.of("normalize", true, "lambda", 1.0), 0,
                BASE, FT1, FT2);
        assertThat(r.passes()).last().isEqualTo("last");
        assertThat(r.passes().subList(0, r.passes().size() - 1)).isNotEmpty().containsOnly("scan");
        // ft1's deltas (0.5, 0, −1, 0.25, 0, 1) keep their top 3 by magnitude: −1, 1, 0.5; ft2's
        // (−0.5, 0.5, 0, −0.5, 1, 0.5) keep 1 and two of the 0.5 ties (the first two, −0.5 and 0.5).
        // Per element the sign of the kept deltas' sum wins (+ for 0) and the deltas of that sign are averaged:
        // 1 + 0.5, 2 + 0.5, 3 − 1, 4 + 0 (both trimmed), 5 + 1, 6 + 1.
        assertThat(r.written()).containsExactly(1.5f, 2.5f, 2f, 4f, 6f, 7f);
    }

    @Test
    void aKernelThatScannedAfterItsLastScanFailsItsTest() {
        ArrayInputs in = new ArrayInputs(SHAPE, 0, 1, BASE, FT1);
        in.lastScan((first, length, v, offset) -> { });
        assertThatThrownBy(() -> in.scan((first, length, v, offset) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("tensor \"t\": scanned again after its last scan");
    }
}
