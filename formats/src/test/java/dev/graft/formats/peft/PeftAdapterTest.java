package dev.graft.formats.peft;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeftAdapterTest {
    @TempDir
    Path dir;

    private Path writeAdapter(AdapterConfig config, int rankB) {
        String q = "model.layers.0.self_attn.q_proj";
        String emb = "model.embed_tokens";
        List<TensorSpec> specs = List.of(
                new TensorSpec(LoraKeys.loraA(q), DType.F32, Shape.of(4, 6)),
                new TensorSpec(LoraKeys.loraB(q), DType.F32, Shape.of(8, rankB)),
                new TensorSpec(LoraKeys.embeddingA(emb), DType.F32, Shape.of(4, 10)),
                new TensorSpec(LoraKeys.embeddingB(emb), DType.F32, Shape.of(6, 4)),
                new TensorSpec("base_model.model.score.weight", DType.F32, Shape.of(2, 6)));
        Path out = dir.resolve("adapter");
        try (PeftAdapterWriter w = PeftAdapterWriter.create(out, config, specs, true)) {
            for (TensorSpec s : specs) {
                float[] v = new float[(int) s.elementCount()];
                v[0] = 1.5f;
                w.writeFloats(s.name(), v);
            }
            w.commit();
        }
        return out;
    }

    @Test
    void writesAConfigAsPeftDoes() {
        AdapterConfig c = AdapterConfig.lora(4, 16, List.of("v_proj", "q_proj"), "base");
        assertThat(c.toJson()).isEqualTo("""
                {
                  "alpha_pattern": {},
                  "auto_mapping": null,
                  "base_model_name_or_path": "base",
                  "bias": "none",
                  "fan_in_fan_out": false,
                  "inference_mode": true,
                  "init_lora_weights": true,
                  "layer_replication": null,
                  "layers_pattern": null,
                  "layers_to_transform": null,
                  "loftq_config": {},
                  "lora_alpha": 16,
                  "lora_bias": false,
                  "lora_dropout": 0.0,
                  "megatron_config": null,
                  "megatron_core": "megatron.core",
                  "modules_to_save": null,
                  "peft_type": "LORA",
                  "r": 4,
                  "rank_pattern": {},
                  "revision": null,
                  "target_modules": [
                    "q_proj",
                    "v_proj"
                  ],
                  "task_type": null,
                  "use_dora": false,
                  "use_rslora": false
                }""");
    }

    @Test
    void roundTripsAnAdapterFolder() throws IOException {
        Path out = writeAdapter(AdapterConfig.lora(4, 16, List.of("q_proj", "embed_tokens"), null), 4);
        assertThat(Files.readString(out.resolve("adapter_config.json"))).doesNotEndWith("\n");
        try (PeftAdapter a = PeftAdapter.open(out)) {
            assertThat(a.modules()).extracting(LoraModule::module)
                    .containsExactly("model.embed_tokens", "model.layers.0.self_attn.q_proj");
            LoraModule q = a.modules().get(1);
            assertThat(q.rank()).isEqualTo(4);
            assertThat(q.scaling()).isEqualTo(4.0);
            assertThat(q.embedding()).isFalse();
            assertThat(q.a().getFloat(0)).isEqualTo(1.5f);
            assertThat(a.modules().getFirst().embedding()).isTrue();
            assertThat(a.otherTensors()).containsExactly("base_model.model.score.weight");
            assertThat(a.weights().metadata()).containsEntry("format", "pt");
        }
    }

    @Test
    void appliesRankAndAlphaPatternsAndRslora() throws IOException {
        Path f = dir.resolve("adapter_config.json");
        Files.writeString(f, "{\"peft_type\":\"LORA\",\"r\":8,\"lora_alpha\":16,\"use_rslora\":true,"
                + "\"rank_pattern\":{\"q_proj\":4,\"layers\\\\.1\\\\..*\":2},\"alpha_pattern\":{\"v_proj\":32}}");
        AdapterConfig c = AdapterConfig.read(f);
        assertThat(c.rankFor("model.layers.0.self_attn.q_proj")).isEqualTo(4);
        assertThat(c.rankFor("model.layers.0.self_attn.xq_proj")).isEqualTo(8);
        assertThat(c.rankFor("model.layers.1.self_attn.k_proj")).isEqualTo(2);
        assertThat(c.alphaFor("model.layers.0.self_attn.v_proj")).isEqualTo(32);
        assertThat(c.scalingFor("model.layers.0.self_attn.q_proj")).isEqualTo(16 / 2.0);
        assertThat(c.scalingFor("model.layers.0.self_attn.k_proj")).isEqualTo(16 / Math.sqrt(8));
    }

    @Test
    void rejectsBrokenAdapters() throws IOException {
        Path out = writeAdapter(AdapterConfig.lora(4, 16, List.of("q_proj"), null), 3);
        Path weights = out.resolve("adapter_model.safetensors");
        assertThatThrownBy(() -> PeftAdapter.open(out)).isInstanceOf(AdapterFormatException.class)
                .hasMessage(weights + ": LoRA factors of \"model.layers.0.self_attn.q_proj\" disagree on the rank: "
                        + "lora_A is [4, 6], lora_B is [8, 3]");
        Path out2 = writeAdapter(AdapterConfig.lora(8, 16, List.of("q_proj"), null), 4);
        assertThatThrownBy(() -> PeftAdapter.open(out2)).hasMessage(weights + ": tensor \"base_model.model.model.embed_tokens"
                + ".lora_embedding_A\" has rank 4 but adapter_config.json gives this module r=8");
        Files.writeString(out2.resolve("adapter_config.json"), "{\"peft_type\":\"IA3\"}");
        assertThatThrownBy(() -> PeftAdapter.open(out2)).hasMessage(out2.resolve("adapter_config.json")
                + ": peft_type is \"IA3\"; Graft reads LoRA adapters only");
        Files.delete(weights);
        Files.writeString(out2.resolve("adapter_config.json"), "{\"peft_type\":\"LORA\"}");
        Files.writeString(out2.resolve("adapter_model.bin"), "x");
        assertThatThrownBy(() -> PeftAdapter.open(out2)).hasMessage(out2 + ": no adapter_model.safetensors (only "
                + "adapter_model.bin is present; Graft reads safetensors only — re-save with safe_serialization=True)");
    }

    @Test
    void parsesLoraKeys() {
        assertThat(LoraKeys.parse("base_model.model.transformer.h.0.attn.c_attn.lora_B.weight")).contains(
                new LoraKeys.Parsed("transformer.h.0.attn.c_attn", LoraKeys.Factor.B, false));
        assertThat(LoraKeys.parse("base_model.model.model.layers.0.mlp.up_proj.lora_magnitude_vector")).isEmpty();
    }
}
