package dev.graft.testmodels;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.Architecture;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.shard.ShardIndex;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TinyLlamaTest {
    @TempDir
    Path dir;

    private static TensorSpec spec(String name, long... dims) {
        return new TensorSpec(name, DType.BF16, Shape.of(dims));
    }

    @Test
    void namesAndShapesFollowTransformers() {
        TinyModel m = TinyLlama.builder().layers(1).hidden(8).intermediate(16).vocab(32).heads(4).kvHeads(2).build();
        assertThat(m.specs()).containsExactly(
                spec("model.embed_tokens.weight", 32, 8),
                spec("model.layers.0.self_attn.q_proj.weight", 8, 8),
                spec("model.layers.0.self_attn.k_proj.weight", 4, 8),
                spec("model.layers.0.self_attn.v_proj.weight", 4, 8),
                spec("model.layers.0.self_attn.o_proj.weight", 8, 8),
                spec("model.layers.0.mlp.gate_proj.weight", 16, 8),
                spec("model.layers.0.mlp.up_proj.weight", 16, 8),
                spec("model.layers.0.mlp.down_proj.weight", 8, 16),
                spec("model.layers.0.input_layernorm.weight", 8),
                spec("model.layers.0.post_attention_layernorm.weight", 8),
                spec("model.norm.weight", 8),
                spec("lm_head.weight", 32, 8));
        assertThat(m.parameterCount()).isEqualTo(32 * 8 + 64 + 32 + 32 + 64 + 128 + 128 + 128 + 8 + 8 + 8 + 32 * 8);
    }

    @Test
    void tiedEmbeddingsHaveNoLmHead() {
        TinyModel m = TinyLlama.builder().layers(3).tiedEmbeddings(true).build();
        assertThat(m.specs()).extracting(TensorSpec::name).doesNotContain("lm_head.weight").hasSize(1 + 3 * 9 + 1);
        assertThat(m.config().get("tie_word_embeddings").booleanValue()).isTrue();
    }

    @Test
    void configIsWrittenLikeSavePretrained() throws IOException {
        TinyLlama.builder().layers(3).hidden(48).intermediate(128).vocab(96).heads(4).writeTo(dir);
        assertThat(Files.readString(dir.resolve("config.json"))).isEqualTo("""
                {
                  "architectures": [
                    "LlamaForCausalLM"
                  ],
                  "hidden_size": 48,
                  "intermediate_size": 128,
                  "model_type": "llama",
                  "num_attention_heads": 4,
                  "num_hidden_layers": 3,
                  "num_key_value_heads": 4,
                  "tie_word_embeddings": false,
                  "torch_dtype": "bfloat16",
                  "vocab_size": 96
                }
                """);
        try (ModelSource m = ModelSource.open(dir)) {
            assertThat(m.files()).extracting(p -> p.getFileName().toString()).containsExactly("model.safetensors");
            assertThat(Architecture.of(m)).isEqualTo(new Architecture("llama", java.util.Optional.of("LlamaForCausalLM"),
                    Architecture.Source.CONFIG, 3, List.of()));
            assertThat(m.metadata()).isEqualTo(java.util.Map.of("format", "pt"));
        }
    }

    @Test
    void sameSeedWritesIdenticalBytes() throws IOException {
        TinyLlama b = TinyLlama.builder().vocab(2048).seed(42); // embeddings span two generation chunks
        b.writeTo(dir.resolve("a"));
        b.writeTo(dir.resolve("b"));
        TinyLlama.builder().vocab(2048).seed(43).writeTo(dir.resolve("c"));
        assertThat(Files.mismatch(dir.resolve("a/model.safetensors"), dir.resolve("b/model.safetensors"))).isEqualTo(-1);
        assertThat(Files.mismatch(dir.resolve("a/config.json"), dir.resolve("b/config.json"))).isEqualTo(-1);
        assertThat(Files.mismatch(dir.resolve("a/model.safetensors"), dir.resolve("c/model.safetensors")))
                .isNotEqualTo(-1);
    }

    @Test
    void aTensorsValuesDoNotDependOnTheOtherTensors() {
        TinyLlama.builder().layers(1).seed(5).writeTo(dir.resolve("one"));
        TinyLlama.builder().layers(3).seed(5).writeTo(dir.resolve("three"));
        try (ModelSource one = ModelSource.open(dir.resolve("one"));
             ModelSource three = ModelSource.open(dir.resolve("three"))) {
            for (String name : List.of("model.embed_tokens.weight", "model.layers.0.mlp.up_proj.weight", "lm_head.weight")) {
                assertThat(one.tensor(name).data().mismatch(three.tensor(name).data())).isEqualTo(-1);
            }
        }
    }

    @Test
    void valuesAreScaledLikeARealInit() {
        TinyLlama.builder().layers(1).hidden(256).intermediate(1024).dtype(DType.F32).writeTo(dir);
        try (ModelSource m = ModelSource.open(dir)) {
            float[] q = m.tensor("model.layers.0.self_attn.q_proj.weight").toFloatArray();
            assertThat(mean(q)).isCloseTo(0, within(0.002));
            assertThat(std(q)).isCloseTo(1 / 16.0, within(0.001));
            float[] down = m.tensor("model.layers.0.mlp.down_proj.weight").toFloatArray();
            assertThat(std(down)).isCloseTo(1 / 32.0, within(0.0005));
            float[] norm = m.tensor("model.norm.weight").toFloatArray();
            assertThat(mean(norm)).isCloseTo(1, within(0.005));
            assertThat(std(norm)).isCloseTo(0.02, within(0.003));
        }
    }

    @Test
    void shardedOutputOpensAsOneModel() throws IOException {
        TinyLlama b = TinyLlama.builder().layers(2).seed(3);
        b.writeTo(dir.resolve("single"));
        b.maxShardBytes(40_000).writeTo(dir.resolve("sharded"));
        try (Stream<Path> files = Files.list(dir.resolve("sharded"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "config.json", "model-00001-of-00007.safetensors", "model-00002-of-00007.safetensors",
                    "model-00003-of-00007.safetensors", "model-00004-of-00007.safetensors",
                    "model-00005-of-00007.safetensors", "model-00006-of-00007.safetensors",
                    "model-00007-of-00007.safetensors", ShardIndex.FILE_NAME);
        }
        try (ModelSource single = ModelSource.open(dir.resolve("single"));
             ModelSource sharded = ModelSource.open(dir.resolve("sharded"))) {
            assertThat(sharded.files()).hasSize(7);
            assertThat(sharded.tensors()).isEqualTo(single.tensors());
            for (TensorSpec s : single.tensors()) {
                assertThat(sharded.tensor(s.name()).data().mismatch(single.tensor(s.name()).data())).isEqualTo(-1);
            }
        }
    }

    @Test
    void refusesToOverwriteAndRejectsInconsistentSizes() {
        TinyLlama.builder().writeTo(dir);
        assertThatThrownBy(() -> TinyLlama.builder().writeTo(dir))
                .isInstanceOf(dev.graft.formats.io.OutputExistsException.class);
        assertThatThrownBy(() -> TinyLlama.builder().hidden(10).heads(4).build())
                .hasMessage("hidden (10) must be a multiple of heads (4)");
        assertThatThrownBy(() -> TinyLlama.builder().heads(4).kvHeads(3).build())
                .hasMessage("heads (4) must be a multiple of kvHeads (3)");
        assertThatThrownBy(() -> TinyLlama.builder().layers(0)).hasMessage("layers must be at least 1, not 0");
        assertThatThrownBy(() -> TinyLlama.builder().dtype(DType.I32).build())
                .hasMessage("generated models use a floating-point dtype, not I32");
    }

    @Test
    void mistralAndQwen2Flavors() {
        TinyModel mistral = TinyLlama.builder().flavor(TinyLlama.Flavor.MISTRAL).layers(2).build();
        assertThat(mistral.config().get("model_type").asText()).isEqualTo("mistral");
        assertThat(mistral.config().get("architectures").get(0).asText()).isEqualTo("MistralForCausalLM");
        assertThat(mistral.specs()).isEqualTo(TinyLlama.builder().layers(2).build().specs());

        TinyModel qwen = TinyLlama.builder().flavor(TinyLlama.Flavor.QWEN2).layers(1).hidden(8).intermediate(16)
                .vocab(32).heads(4).kvHeads(2).tiedEmbeddings(true).build();
        assertThat(qwen.specs()).containsExactly(
                spec("model.embed_tokens.weight", 32, 8),
                spec("model.layers.0.self_attn.q_proj.weight", 8, 8),
                spec("model.layers.0.self_attn.k_proj.weight", 4, 8),
                spec("model.layers.0.self_attn.v_proj.weight", 4, 8),
                spec("model.layers.0.self_attn.q_proj.bias", 8),
                spec("model.layers.0.self_attn.k_proj.bias", 4),
                spec("model.layers.0.self_attn.v_proj.bias", 4),
                spec("model.layers.0.self_attn.o_proj.weight", 8, 8),
                spec("model.layers.0.mlp.gate_proj.weight", 16, 8),
                spec("model.layers.0.mlp.up_proj.weight", 16, 8),
                spec("model.layers.0.mlp.down_proj.weight", 8, 16),
                spec("model.layers.0.input_layernorm.weight", 8),
                spec("model.layers.0.post_attention_layernorm.weight", 8),
                spec("model.norm.weight", 8));
        TinyLlama.builder().flavor(TinyLlama.Flavor.QWEN2).layers(3).writeTo(dir);
        try (ModelSource m = ModelSource.open(dir)) {
            Architecture a = Architecture.of(m);
            assertThat(a.family()).isEqualTo("qwen2");
            assertThat(a.className()).contains("Qwen2ForCausalLM");
            assertThat(a.layers()).isEqualTo(3);
        }
    }

    static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
