package dev.graft.algorithms;

import dev.graft.core.exec.MergeOptions;
import dev.graft.core.plan.PlanException;
import dev.graft.core.recipe.Recipe;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code slices:} recipes: stacking layer ranges, and merging them block by block. */
class SlicesTest {
    @TempDir
    Path dir;

    private static final Path MODELS = ReferenceVectors.root().resolve("models");

    private Path recipe(String yaml) throws Exception {
        Path r = dir.resolve("r" + System.nanoTime() + ".yml");
        Files.writeString(r, yaml);
        return r;
    }

    @Test
    void passthroughStacksLayerRangesIntoADeeperModel() throws Exception {
        Path r = recipe("""
                slices:
                  - sources:
                      - model: ft1
                        layer_range: [0, 2]
                  - sources:
                      - model: ft2
                        layer_range: [1, 3]
                merge_method: passthrough
                """);
        Path out = dir.resolve("franken");
        Recipe.load(r).run(out, MergeOptions.defaults(), MODELS);
        try (ModelSource m = ModelSource.open(out); ModelSource a = ModelSource.open(MODELS.resolve("ft1"));
             ModelSource b = ModelSource.open(MODELS.resolve("ft2"))) {
            assertThat(m.tensors()).hasSize(4 * 9 + 3);
            assertThat(m.config().orElseThrow().numHiddenLayers()).hasValue(4);
            for (TensorSpec s : m.tensors()) {
                String n = s.name();
                float[] got = m.tensor(n).toFloatArray();
                float[] want;
                if (n.startsWith("model.layers.0.") || n.startsWith("model.layers.1.")) {
                    want = a.tensor(n).toFloatArray();
                } else if (n.startsWith("model.layers.2.")) {
                    want = b.tensor(n.replace("model.layers.2.", "model.layers.1.")).toFloatArray();
                } else if (n.startsWith("model.layers.3.")) {
                    want = b.tensor(n.replace("model.layers.3.", "model.layers.2.")).toFloatArray();
                } else if (n.contains("embed")) {
                    want = a.tensor(n).toFloatArray();
                } else {
                    want = b.tensor(n).toFloatArray();
                }
                assertThat(got).as(n).containsExactly(want);
            }
        }
    }

    @Test
    void slicesOverWholeModelsEqualTheModelsForm() throws Exception {
        Path sliced = recipe("""
                slices:
                  - sources:
                      - model: base
                        layer_range: [0, 3]
                      - model: ft1
                        layer_range: [0, 3]
                merge_method: slerp
                base_model: base
                parameters:
                  t:
                    - filter: self_attn
                      value: [0, 0.5, 1]
                    - value: 0.3
                dtype: float32
                out_dtype: bfloat16
                """);
        Path plain = recipe("""
                models:
                  - model: base
                  - model: ft1
                merge_method: slerp
                base_model: base
                parameters:
                  t:
                    - filter: self_attn
                      value: [0, 0.5, 1]
                    - value: 0.3
                dtype: float32
                out_dtype: bfloat16
                """);
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        Recipe.load(sliced).run(a, MergeOptions.defaults(), MODELS);
        Recipe.load(plain).run(b, MergeOptions.defaults(), MODELS);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void layerRangesBeyondAModelAreRefused() throws Exception {
        Path r = recipe("""
                slices:
                  - sources:
                      - model: ft1
                        layer_range: [0, 5]
                merge_method: passthrough
                """);
        PlanException e = catchThrowableOfType(PlanException.class,
                () -> Recipe.load(r).plan(MergeOptions.defaults(), MODELS));
        assertThat(e.problems()).containsExactly("slices[0]: ft1 has 3 layers; layer_range [0, 5] asks for more");
    }
}
