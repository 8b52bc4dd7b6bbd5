package dev.graft.algorithms.lora;

import dev.graft.formats.model.ModelFormatException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What each tensor of a base/tuned pair becomes, on Qwen2-like layouts (biases on some projections only). */
class ModuleSelectionTest {
    private static final String Q = "model.layers.0.self_attn.q_proj";
    private static final String O = "model.layers.0.self_attn.o_proj";

    @TempDir
    Path dir;

    private Matrices.Model model(float biasShift, float normShift) {
        float[] bias = Matrices.gaussian(8, 1, 3);
        for (int i = 0; i < bias.length; i++) {
            bias[i] += biasShift;
        }
        float[] norm = Matrices.gaussian(8, 1, 4);
        norm[0] += normShift;
        return new Matrices.Model()
                .put(Q + ".weight", Shape.of(8, 8), Matrices.gaussian(64, 1, 1))
                .put(Q + ".bias", Shape.of(8), bias)
                .put(O + ".weight", Shape.of(8, 8), Matrices.gaussian(64, 1, 2 + (long) normShift))
                .put("model.layers.0.input_layernorm.weight", Shape.of(8), norm);
    }

    @Test
    void biasesOfTargetsAreDroppedWhenSomeTargetHasNoBiasAndNormsAreSaved() {
        Path base = model(0, 0).write(dir.resolve("b.safetensors"));
        Path tuned = model(0.5f, 1).write(dir.resolve("t.safetensors"));
        try (ModelSource b = ModelSource.open(base); ModelSource t = ModelSource.open(tuned)) {
            ModuleSelection.Selection s = ModuleSelection.defaults().select(b, t);
            assertThat(s.targets()).extracting(LoraTarget::module).containsExactly(O, Q);
            assertThat(s.loraBias()).isFalse();
            assertThat(s.biases()).isEmpty();
            assertThat(s.savedTensors()).containsExactly("model.layers.0.input_layernorm.weight");
            assertThat(s.savedModules()).containsExactly("model.layers.0.input_layernorm");
            assertThat(s.warnings()).containsExactly("1 changed biases of LoRA targets dropped (first: " + Q
                    + ".bias): PEFT's lora_bias adds a bias to every target, and 1 targets have none in the base model");

            // with only q_proj targeted, every target has a bias: lora_bias carries it
            ModuleSelection.Selection q = ModuleSelection.defaults().targetModules(java.util.List.of("q_proj")).select(b, t);
            assertThat(q.loraBias()).isTrue();
            assertThat(q.biases()).containsExactly(Q + ".bias");
            assertThat(q.warnings()).containsExactly("1 changed matrices are not LoRA targets and were dropped (first: "
                    + O + ".weight); add them with --target-modules");
        }
    }

    @Test
    void modelsWithDifferentTensorsAreRefusedNamingTheTensor() {
        Path base = model(0, 0).write(dir.resolve("b.safetensors"));
        Path tuned = model(0, 0).put("extra.weight", Shape.of(2), new float[2]).write(dir.resolve("t.safetensors"));
        try (ModelSource b = ModelSource.open(base); ModelSource t = ModelSource.open(tuned)) {
            ModelFormatException e = catchThrowableOfType(ModelFormatException.class,
                    () -> ModuleSelection.defaults().select(b, t));
            assertThat(e).hasMessage(tuned + ": tensor \"extra.weight\" is not in the base model " + base);
            ModelFormatException back = catchThrowableOfType(ModelFormatException.class,
                    () -> ModuleSelection.defaults().select(t, b));
            assertThat(back).hasMessage(base + ": has no tensor \"extra.weight\", which the base model " + tuned + " has");
        }
    }
}
