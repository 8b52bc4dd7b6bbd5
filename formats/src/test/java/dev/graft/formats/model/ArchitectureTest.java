package dev.graft.formats.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class ArchitectureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ModelConfig config(String json) throws Exception {
        return ModelConfig.of((ObjectNode) JSON.readTree(json));
    }

    private static final List<String> LLAMA_2_LAYERS = List.of(
            "model.embed_tokens.weight",
            "model.layers.0.self_attn.q_proj.weight", "model.layers.0.mlp.up_proj.weight",
            "model.layers.1.self_attn.q_proj.weight", "model.layers.1.input_layernorm.weight",
            "model.norm.weight", "lm_head.weight");

    @ParameterizedTest
    @CsvSource({
            "model.layers.3.self_attn.q_proj.weight, 3",
            "layers.12.attention.wq.weight, 12",
            "transformer.h.11.attn.c_attn.weight, 11",
            "h.0.ln_1.weight, 0",
            "bert.encoder.layer.5.attention.self.query.weight, 5",
            "encoder.layer.0.output.dense.bias, 0",
            "decoder.layers.2.fc1.weight, 2",
            "model.decoder.layers.7.self_attn.k_proj.weight, 7",
            "blocks.4.attn.qkv.weight, 4",
            "transformer.blocks.9.ffn.up_proj.weight, 9",
            "gpt_neox.layers.23.attention.query_key_value.weight, 23",
            // MoE: the expert index comes second and must not win
            "model.layers.3.mlp.experts.7.w1.weight, 3",
            "model.layers.0.block_sparse_moe.experts.15.w2.weight, 0",
            // PEFT adapter keys carry a prefix
            "base_model.model.model.layers.6.self_attn.v_proj.lora_A.weight, 6",
            "base_model.model.transformer.h.2.attn.c_attn.lora_B.weight, 2",
    })
    void blockIndexIsTheNumberAfterTheFirstContainer(String name, int expected) {
        assertThat(Architecture.blockIndex(name)).isEqualTo(OptionalInt.of(expected));
    }

    @ParameterizedTest
    @CsvSource({
            "model.embed_tokens.weight",
            "lm_head.weight",
            "model.norm.weight",
            "transformer.wpe.weight",
            // a container name must be a whole segment
            "model.sublayers.3.weight",
            "model.highway.h2.weight",
            // a number that is not followed by a further segment is not a block
            "model.layers.3",
            "encoder.block.0.layer.1.DenseReluDense.wi.weight",
    })
    void namesOutsideBlocksHaveNoIndex(String name) {
        assertThat(Architecture.blockIndex(name)).isEmpty();
    }

    @Test
    void configDecidesFamilyAndLayers() throws Exception {
        Architecture a = Architecture.detect(config("""
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "num_hidden_layers": 2}"""),
                LLAMA_2_LAYERS);
        assertThat(a).isEqualTo(new Architecture("llama", Optional.of("LlamaForCausalLM"),
                Architecture.Source.CONFIG, 2, List.of()));
    }

    @Test
    void gpt2ConfigUsesNLayer() throws Exception {
        Architecture a = Architecture.detect(config("""
                {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_layer": 12}"""),
                List.of("transformer.h.0.attn.c_attn.weight"));
        assertThat(a.family()).isEqualTo("gpt2");
        assertThat(a.layers()).isEqualTo(12);
        assertThat(a.warnings()).containsExactly(
                "config.json declares 12 layers but the tensors have blocks 0 to 0");
    }

    @Test
    void familyFromArchitectureClassWhenModelTypeIsMissing() throws Exception {
        assertThat(Architecture.detect(config("{\"architectures\": [\"GPT2LMHeadModel\"]}"), List.of()).family())
                .isEqualTo("gpt2");
        assertThat(Architecture.detect(config("{\"architectures\": [\"MistralForCausalLM\"]}"), List.of()).family())
                .isEqualTo("mistral");
        assertThat(Architecture.detect(config("{\"architectures\": [\"BertModel\"]}"), List.of()).family())
                .isEqualTo("bert");
    }

    @Test
    void withoutConfigFamilyIsGuessedAndLayersCounted() {
        assertThat(Architecture.detect(null, LLAMA_2_LAYERS)).isEqualTo(new Architecture("llama", Optional.empty(),
                Architecture.Source.TENSOR_NAMES, 2, List.of()));
        assertThat(Architecture.detect(null, List.of("transformer.h.0.attn.c_attn.weight",
                "transformer.h.5.attn.c_attn.weight")))
                .isEqualTo(new Architecture("gpt2", Optional.empty(), Architecture.Source.TENSOR_NAMES, 6, List.of()));
        assertThat(Architecture.detect(null, List.of("bert.encoder.layer.3.attention.self.query.weight")))
                .isEqualTo(new Architecture("bert", Optional.empty(), Architecture.Source.TENSOR_NAMES, 4, List.of()));
    }

    @Test
    void unrecognisedModelIsUnknownWithNoLayers() {
        assertThat(Architecture.detect(null, List.of("w", "b"))).isEqualTo(new Architecture(
                Architecture.UNKNOWN, Optional.empty(), Architecture.Source.NONE, 0, List.of()));
    }

    @Test
    void configWithoutFamilyFieldsFallsBackToNames() throws Exception {
        Architecture a = Architecture.detect(config("{\"num_hidden_layers\": 2}"), LLAMA_2_LAYERS);
        assertThat(a.family()).isEqualTo("llama");
        assertThat(a.source()).isEqualTo(Architecture.Source.TENSOR_NAMES);
        assertThat(a.warnings()).isEmpty();
    }

    @Test
    void layerMismatchIsAWarningAndTheConfigCountIsKept() throws Exception {
        Architecture a = Architecture.detect(config("{\"model_type\": \"llama\", \"num_hidden_layers\": 4}"),
                LLAMA_2_LAYERS);
        assertThat(a.layers()).isEqualTo(4);
        assertThat(a.warnings()).containsExactly(
                "config.json declares 4 layers but the tensors have blocks 0 to 1");
    }
}
