package dev.graft.cli.bench;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark checkpoints, written fast and deterministically: base values from a linear congruential generator,
 * and for variant {@code m > 0} (a fine-tune) small noise of its own on top, so task vectors are dense and
 * sign-mixed. Streamed through one window, so any size can be written in constant memory.
 */
final class SyntheticCheckpoint {
    private static final int WINDOW = 1 << 18;

    /** Side of {@link #squareLayers}' matrices: 4096² bf16 = 32 MiB, a typical projection weight. */
    static final int SIDE = 4096;

    private SyntheticCheckpoint() {
    }

    /** bf16 {@code SIDE × SIDE} matrices named as a Llama's layers, as many as fit {@code bytes} (at least one). */
    static List<TensorSpec> squareLayers(long bytes) {
        int n = (int) Math.max(1, bytes / (2L * SIDE * SIDE));
        List<TensorSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(new TensorSpec("model.layers." + i + ".mlp.up_proj.weight", DType.BF16, Shape.of(SIDE, SIDE)));
        }
        return specs;
    }

    static void write(Path file, List<TensorSpec> specs, int variant) {
        float[] window = new float[WINDOW];
        try (SafetensorsWriter w = SafetensorsWriter.create(file, specs, SafetensorsWriter.PT_METADATA, false)) {
            int base = 1;
            int noise = 977 * (variant + 1);
            for (TensorSpec s : specs) {
                try (SafetensorsWriter.TensorSink sink = w.sink(s.name())) {
                    for (long done = 0; done < s.elementCount(); done += window.length) {
                        int len = (int) Math.min(window.length, s.elementCount() - done);
                        for (int k = 0; k < len; k++) {
                            base = base * 1664525 + 1013904223; // LCG: cheap, deterministic
                            float v = (base >> 8) * 0x1p-30f;
                            if (variant > 0) {
                                noise = noise * 1664525 + 1013904223;
                                v += (noise >> 8) * 0x1p-36f;
                            }
                            window[k] = v;
                        }
                        sink.writeFloats(window, 0, len);
                    }
                }
            }
            w.commit();
        }
    }
}
