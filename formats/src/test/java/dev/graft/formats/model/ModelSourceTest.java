package dev.graft.formats.model;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSourceTest {
    @TempDir
    Path dir;

    @Test
    void opensAHuggingFaceFolderWithItsConfig() {
        Path base = TestData.mergeVectors().resolve("models/base");
        try (ModelSource m = ModelSource.open(base)) {
            assertThat(m.path()).isEqualTo(base);
            assertThat(m.tensors()).hasSize(30);
            assertThat(m.tensors().getFirst().name()).isEqualTo("lm_head.weight");
            ModelConfig c = m.config().orElseThrow();
            assertThat(c.architectures()).containsExactly("LlamaForCausalLM");
            assertThat(c.numHiddenLayers()).hasValue(3);
            assertThat(c.hiddenSize()).hasValue(48);
            assertThat(c.dtype()).contains(DType.BF16);
            assertThat(c.tieWordEmbeddings()).isFalse();
        }
    }

    @Test
    void opensASingleFileAndPicksUpTheConfigBesideIt() {
        Path file = TestData.mergeVectors().resolve("models/ft1/model.safetensors");
        try (ModelSource m = ModelSource.open(file)) {
            assertThat(m.files()).containsExactly(file);
            assertThat(m.config()).isPresent();
            assertThat(m.tensor("model.norm.weight").shape().dim(0)).isEqualTo(48);
        }
    }

    @Test
    void readsBothDtypeSpellingsAndGpt2Names() throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"dtype\": \"float16\", \"torch_dtype\": \"float32\", \"n_layer\": 12, \"n_embd\": 768}");
        ModelConfig c = ModelConfig.read(f);
        assertThat(c.dtype()).contains(DType.F16);
        assertThat(c.numHiddenLayers()).hasValue(12);
        assertThat(c.hiddenSize()).hasValue(768);
        assertThat(c.tieWordEmbeddings()).isTrue();
        assertThat(c.withDtype(DType.BF16).json().toString())
                .isEqualTo("{\"dtype\":\"bfloat16\",\"torch_dtype\":\"bfloat16\",\"n_layer\":12,\"n_embd\":768}");
        Files.writeString(f, "{\"torch_dtype\": \"bfloat16\"}");
        assertThat(ModelConfig.read(f).dtype()).contains(DType.BF16);
        assertThat(ModelConfig.read(f).withDtype(DType.F32).json().toString()).isEqualTo("{\"torch_dtype\":\"float32\"}");
    }

    @Test
    void badPathsAreExplained() throws IOException {
        assertThatThrownBy(() -> ModelSource.open(dir.resolve("nope"))).isInstanceOf(ModelFormatException.class)
                .hasMessage(dir.resolve("nope") + ": no such folder");
        assertThatThrownBy(() -> ModelSource.open(dir))
                .hasMessage(dir + ": folder has no model.safetensors, model.safetensors.index.json, pytorch_model.bin or "
                        + "pytorch_model.bin.index.json");
        Files.writeString(dir.resolve("adapter_config.json"), "{}");
        assertThatThrownBy(() -> ModelSource.open(dir)).hasMessageEndingWith(
                "(this is a PEFT adapter folder; open it as an adapter)");
        Path txt = Files.writeString(dir.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> ModelSource.open(txt)).hasMessage(txt
                + ": not a model: expected a .safetensors file, a PyTorch checkpoint (.bin, .pt, .pth), a GGUF file "
                + "(.gguf), a shard index (.index.json) or a model folder");
        Path badConfig = Files.createDirectories(dir.resolve("m"));
        Files.writeString(badConfig.resolve("config.json"), "{\"a\": ");
        assertThatThrownBy(() -> ModelSource.open(badConfig)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(badConfig.resolve("config.json") + ": invalid JSON: ");
    }

    @Test
    void aMissingPathIsCalledAFileOrAFolderByItsName() {
        // What the name says the user meant: a checkpoint file, or a model folder.
        for (String file : new String[] {"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "x.SAFETENSORS"}) {
            assertThatThrownBy(() -> ModelSource.open(dir.resolve(file))).isInstanceOf(ModelFormatException.class)
                    .hasMessage(dir.resolve(file) + ": no such file");
        }
        for (String folder : new String[] {"Qwen2.5-0.5B", "ft1", "models/base"}) {
            assertThatThrownBy(() -> ModelSource.open(dir.resolve(folder))).isInstanceOf(ModelFormatException.class)
                    .hasMessage(dir.resolve(folder) + ": no such folder");
        }
    }

    @Test
    void unknownTensorIsNamed() {
        try (ModelSource m = ModelSource.open(TestData.mergeVectors().resolve("models/base"))) {
            assertThatThrownBy(() -> m.tensor("model.layers.9.mlp.up_proj.weight"))
                    .hasMessageEndingWith(": no tensor named \"model.layers.9.mlp.up_proj.weight\" in this model");
        }
    }
}
