package dev.graft.algorithms.lora;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.peft.AdapterConfig;
import dev.graft.formats.peft.LoraKeys;
import dev.graft.formats.peft.PeftAdapterWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes float32 PEFT adapters with seeded random factors for the composition tests. */
final class TestAdapter {
    private final int r;
    private final double alpha;
    private boolean rslora;
    private final Map<String, float[][]> factors = new LinkedHashMap<>();
    private final Map<String, int[]> dims = new LinkedHashMap<>();
    private final Map<String, float[]> others = new LinkedHashMap<>();

    TestAdapter(int r, double alpha) {
        this.r = r;
        this.alpha = alpha;
    }

    TestAdapter rslora() {
        this.rslora = true;
        return this;
    }

    /** A module with random factors: lora_A [r, in], lora_B [out, r]. */
    TestAdapter module(String module, int out, int in, long seed) {
        factors.put(module, new float[][] {Matrices.gaussian(r * in, 0.3, seed), Matrices.gaussian(out * r, 0.3, seed + 1)});
        dims.put(module, new int[] {out, in});
        return this;
    }

    /** Any other tensor, stored under {@code key} as a 1-D float32 tensor. */
    TestAdapter other(String key, float[] values) {
        others.put(key, values);
        return this;
    }

    double scaling() {
        return rslora ? alpha / Math.sqrt(r) : alpha / r;
    }

    float[] a(String module) {
        return factors.get(module)[0];
    }

    float[] b(String module) {
        return factors.get(module)[1];
    }

    /** scaling · B·A of a module, [out, in]. */
    double[] delta(String module) {
        int[] d = dims.get(module);
        double[] p = Matrices.product(b(module), a(module), d[0], r, d[1]);
        for (int i = 0; i < p.length; i++) {
            p[i] *= scaling();
        }
        return p;
    }

    Path write(Path dir) {
        List<TensorSpec> specs = new ArrayList<>();
        dims.forEach((m, d) -> {
            specs.add(new TensorSpec(LoraKeys.loraA(m), DType.F32, Shape.of(r, d[1])));
            specs.add(new TensorSpec(LoraKeys.loraB(m), DType.F32, Shape.of(d[0], r)));
        });
        others.forEach((k, v) -> specs.add(new TensorSpec(k, DType.F32, Shape.of(v.length))));
        AdapterConfig config = AdapterConfig.lora(r, alpha, dims.keySet().stream()
                .map(m -> m.substring(m.lastIndexOf('.') + 1)).toList(), "base").withFlag("use_rslora", rslora)
                .withFlag("lora_bias", others.keySet().stream().anyMatch(k -> k.endsWith(".lora_B.bias")));
        try (PeftAdapterWriter w = PeftAdapterWriter.create(dir, config, specs, false)) {
            factors.forEach((m, f) -> {
                w.writeFloats(LoraKeys.loraA(m), f[0]);
                w.writeFloats(LoraKeys.loraB(m), f[1]);
            });
            others.forEach(w::writeFloats);
            w.commit();
        }
        return dir;
    }
}
