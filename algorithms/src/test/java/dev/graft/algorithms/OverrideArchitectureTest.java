package dev.graft.algorithms;

import dev.graft.core.exec.MergeOptions;
import dev.graft.core.recipe.Recipe;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.model.ModelFormatException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * mergekit's {@code override_architecture}: the model's config reads as if its {@code architectures} were
 * {@code [override]}, so the output's {@code config.json}, taken from the base (or the first model), names the
 * override when that model carries one; the tensors are unchanged.
 */
class OverrideArchitectureTest {
    @TempDir
    Path dir;

    private Path run(String yaml, Path workingDir) {
        Path out = dir.resolve("out");
        Recipe.parse(yaml, dir.resolve("recipe.yml")).run(out, MergeOptions.defaults(), workingDir);
        return out;
    }

    private static ObjectNode config(Path folder) {
        return ModelConfig.read(folder.resolve(ModelConfig.FILE_NAME)).json();
    }

    @Test
    void anOverrideOnTheBaseIsTheOutputsArchitecture() throws IOException {
        Path models = ReferenceVectors.root().resolve("models");
        Path out = run("""
                merge_method: task_arithmetic
                base_model:
                  model: base
                  override_architecture: MistralForCausalLM
                models:
                  - model: ft1
                    parameters: {weight: 0.5}
                dtype: float32
                out_dtype: bfloat16
                """, models);
        ObjectNode expected = config(models.resolve("base"));
        expected.putArray("architectures").add("MistralForCausalLM");
        assertThat(config(out)).isEqualTo(expected);

        // The tensors are those of the same merge without the override, byte for byte.
        Path plain = dir.resolve("plain");
        Recipe.parse("""
                merge_method: task_arithmetic
                base_model: base
                models:
                  - model: ft1
                    parameters: {weight: 0.5}
                dtype: float32
                out_dtype: bfloat16
                """, dir.resolve("plain.yml")).run(plain, MergeOptions.defaults(), models);
        assertThat(Files.readAllBytes(out.resolve("model.safetensors")))
                .isEqualTo(Files.readAllBytes(plain.resolve("model.safetensors")));
        assertThat(config(plain).get("architectures").get(0).textValue()).isEqualTo("LlamaForCausalLM");
    }

    @Test
    void anOverrideOnAnotherModelLeavesTheBasesArchitecture() {
        Path models = ReferenceVectors.root().resolve("models");
        Path out = run("""
                merge_method: task_arithmetic
                base_model: base
                models:
                  - model:
                      model: ft1
                      override_architecture: MistralForCausalLM
                    parameters: {weight: 0.5}
                dtype: float32
                out_dtype: bfloat16
                """, models);
        assertThat(config(out)).isEqualTo(config(models.resolve("base")));
    }

    @Test
    void aModelWithoutAConfigCannotBeOverridden() throws IOException {
        Path models = ReferenceVectors.root().resolve("models");
        Path bare = Files.createDirectories(dir.resolve("bare"));
        Files.copy(models.resolve("ft1/model.safetensors"), bare.resolve("model.safetensors"));
        assertThatThrownBy(() -> run("""
                merge_method: task_arithmetic
                base_model: %s
                models:
                  - model:
                      model: %s
                      override_architecture: MistralForCausalLM
                    parameters: {weight: 0.5}
                """.formatted(models.resolve("base"), bare), dir))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("override_architecture: MistralForCausalLM needs a config.json in " + bare
                        + " to override; the model has none");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
