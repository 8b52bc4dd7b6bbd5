package dev.graft.evaluation.llama;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.OutputExistsException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.TensorSpec;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LlamaFolderTest {
    private static final LlamaShape SHAPE = new LlamaShape(ByteVocabulary.SIZE, 8, 12, 2, 2, 1, 16, 10000, 1e-5);

    @TempDir
    Path dir;

    @Test
    void aWrittenFolderReadsBackBitForBit() throws Exception {
        LlamaWeights w = LlamaWeights.initial(SHAPE, 3);
        Path folder = LlamaFolder.write(w, dir.resolve("m"), false);
        LlamaWeights back = LlamaFolder.readByteLevel(folder);
        assertThat(back.shape()).isEqualTo(SHAPE);
        for (int i = 0; i < SHAPE.tensorCount(); i++) {
            assertThat(back.params().tensor(i)).as(SHAPE.names().get(i)).containsExactly(w.params().tensor(i));
        }
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(".graft-manifest.json", 
                    "config.json", "generation_config.json", "model.safetensors");
        }
    }

    @Test
    void theFolderHasTransformersNamesLayoutsAndConfig() throws Exception {
        Path folder = LlamaFolder.write(LlamaWeights.initial(SHAPE, 3), dir.resolve("m"), false);
        try (ModelSource m = ModelSource.open(folder)) {
            assertThat(m.config().orElseThrow().architectures()).containsExactly("LlamaForCausalLM");
            assertThat(m.metadata()).containsEntry("format", "pt");
            TensorSpec k = m.spec("model.layers.1.self_attn.k_proj.weight").orElseThrow();
            assertThat(k.dtype()).isEqualTo(DType.F32);
            assertThat(k.shape().dims()).containsExactly(4, 8);
            assertThat(m.spec("model.layers.0.mlp.down_proj.weight").orElseThrow().shape().dims())
                    .containsExactly(8, 12);
            assertThat(m.spec("lm_head.weight").orElseThrow().shape().dims()).containsExactly(259, 8);
            assertThat(m.tensors()).hasSize(21);
        }
        assertThat(Files.readString(folder.resolve("config.json"))).isEqualTo("""
                {
                  "architectures": [
                    "LlamaForCausalLM"
                  ],
                  "attention_bias": false,
                  "attention_dropout": 0.0,
                  "bos_token_id": 256,
                  "eos_token_id": 257,
                  "head_dim": 4,
                  "hidden_act": "silu",
                  "hidden_size": 8,
                  "initializer_range": 0.02,
                  "intermediate_size": 12,
                  "max_position_embeddings": 16,
                  "mlp_bias": false,
                  "model_type": "llama",
                  "num_attention_heads": 2,
                  "num_hidden_layers": 2,
                  "num_key_value_heads": 1,
                  "pad_token_id": 258,
                  "pretraining_tp": 1,
                  "rms_norm_eps": 1e-05,
                  "rope_scaling": null,
                  "rope_theta": 10000.0,
                  "tie_word_embeddings": false,
                  "torch_dtype": "float32",
                  "use_cache": true,
                  "vocab_size": 259
                }
                """);
    }

    @Test
    void anExistingFolderIsKeptUnlessOverwriting() {
        Path folder = LlamaFolder.write(LlamaWeights.initial(SHAPE, 3), dir.resolve("m"), false);
        assertThatThrownBy(() -> LlamaFolder.write(LlamaWeights.initial(SHAPE, 4), folder, false))
                .isInstanceOf(OutputExistsException.class);
        LlamaFolder.write(LlamaWeights.initial(SHAPE, 4), folder, true);
        assertThat(LlamaFolder.read(folder).params().tensor(0))
                .containsExactly(LlamaWeights.initial(SHAPE, 4).params().tensor(0));
    }

    @Test
    void aTiedBf16LlamaFromTheTestModelsReadsWithItsEmbeddingAsLmHead() {
        Path folder = TinyLlama.builder().layers(1).hidden(8).intermediate(16).vocab(32).heads(2).kvHeads(1)
                .tiedEmbeddings(true).dtype(DType.BF16).seed(1).writeTo(dir.resolve("tied"));
        LlamaWeights w = LlamaFolder.read(folder);
        assertThat(w.shape()).isEqualTo(new LlamaShape(32, 8, 16, 1, 2, 1, 2048, 10000, 1e-6));
        assertThat(w.params().tensor(w.shape().lmHead())).containsExactly(w.params().tensor(0));
    }

    @Test
    void aGpt2FolderIsNotLlama() {
        Path folder = dev.graft.testmodels.TinyGpt2.builder().layers(1).seed(1).writeTo(dir.resolve("gpt2"));
        assertThatThrownBy(() -> LlamaFolder.read(folder)).isInstanceOf(LlamaFolderException.class)
                .hasMessage(folder + ": not a Llama model: config.json names architectures [GPT2LMHeadModel], "
                        + "not [LlamaForCausalLM]");
    }

    @Test
    void aQwen2FolderWithAttentionBiasesIsRefused() {
        Path folder = TinyLlama.builder().layers(1).hidden(8).intermediate(16).vocab(32).heads(2)
                .flavor(TinyLlama.Flavor.QWEN2).seed(1).writeTo(dir.resolve("qwen"));
        assertThatThrownBy(() -> LlamaFolder.read(folder)).isInstanceOf(LlamaFolderException.class)
                .hasMessage(folder + ": not a Llama model: config.json names architectures [Qwen2ForCausalLM], "
                        + "not [LlamaForCausalLM]");
    }

    @Test
    void aModelOverTheLimitIsRefusedBeforeItsTensorsAreRead() throws Exception {
        Path folder = LlamaFolder.write(LlamaWeights.initial(SHAPE, 3), dir.resolve("m"), false);
        String big = Files.readString(folder.resolve("config.json")).replace("\"num_hidden_layers\": 2",
                "\"num_hidden_layers\": 200").replace("\"hidden_size\": 8", "\"hidden_size\": 2048")
                .replace("\"head_dim\": 4", "\"head_dim\": 1024");
        Files.writeString(folder.resolve("config.json"), big);
        assertThatThrownBy(() -> LlamaFolder.read(folder)).isInstanceOf(LlamaFolderException.class)
                .hasMessage(folder + ": 2,533,210,112 parameters is more than the 50,000,000 the Java forward "
                        + "pass runs");
    }

    @Test
    void tensorsThatDisagreeWithTheConfigAreNamed() throws Exception {
        Path folder = LlamaFolder.write(LlamaWeights.initial(SHAPE, 3), dir.resolve("m"), false);
        Files.writeString(folder.resolve("config.json"), Files.readString(folder.resolve("config.json"))
                .replace("\"intermediate_size\": 12", "\"intermediate_size\": 10"));
        assertThatThrownBy(() -> LlamaFolder.read(folder)).isInstanceOf(LlamaFolderException.class)
                .hasMessage(folder + ": model.layers.0.mlp.gate_proj.weight has shape [12, 8] where config.json "
                        + "implies [10, 8]");
    }

    @Test
    void anotherVocabularyIsNotByteLevel() {
        Path folder = TinyLlama.builder().layers(1).hidden(8).intermediate(16).vocab(32).heads(2).seed(1)
                .writeTo(dir.resolve("v32"));
        assertThatThrownBy(() -> LlamaFolder.readByteLevel(folder)).isInstanceOf(LlamaFolderException.class)
                .hasMessage(folder + ": vocab_size 32 is not the byte-level vocabulary of 259 tokens (256 bytes, "
                        + "BOS, EOS, PAD) that scoring and generation use");
    }

    @Test
    void aFolderWithoutConfigIsNotLlama() throws Exception {
        Path folder = LlamaFolder.write(LlamaWeights.initial(SHAPE, 3), dir.resolve("m"), false);
        Files.delete(folder.resolve("config.json"));
        assertThatThrownBy(() -> LlamaFolder.read(folder)).isInstanceOf(LlamaFolderException.class)
                .hasMessage(folder + ": not a Llama model: no config.json");
        assertThat(List.of(folder.toFile().list())).contains("model.safetensors");
    }
}
