package dev.graft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InspectCommandTest {
    @TempDir
    Path dir;
    private Path model;

    /** 1 layer, hidden 8: 1,176 bf16 parameters = 2,352 bytes of data, a 1,152-byte header. */
    @BeforeEach
    void writeModel() {
        model = TinyLlama.builder().layers(1).hidden(8).intermediate(16).vocab(32).heads(2).dtype(DType.BF16).seed(1)
                .writeTo(dir.resolve("m"));
    }

    @Test
    void printsTheWholeReport() {
        Cli.Result r = Cli.graft("inspect", model.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                Model         %s
                Files         model.safetensors  3.51 kB
                              config.json        287 B
                Architecture  llama (LlamaForCausalLM), 1 layer
                Config dtype  bfloat16
                Parameters    1,176 (1.2K) in 12 tensors, 2.35 kB
                Metadata      format=pt

                Tensors
                  NAME                                            DTYPE  SHAPE     SIZE
                  lm_head.weight                                  BF16   [32, 8]  512 B
                  model.embed_tokens.weight                       BF16   [32, 8]  512 B
                  model.layers.0.input_layernorm.weight           BF16   [8]       16 B
                  model.layers.0.mlp.down_proj.weight             BF16   [8, 16]  256 B
                  model.layers.0.mlp.gate_proj.weight             BF16   [16, 8]  256 B
                  model.layers.0.mlp.up_proj.weight               BF16   [16, 8]  256 B
                  model.layers.0.post_attention_layernorm.weight  BF16   [8]       16 B
                  model.layers.0.self_attn.k_proj.weight          BF16   [8, 8]   128 B
                  model.layers.0.self_attn.o_proj.weight          BF16   [8, 8]   128 B
                  model.layers.0.self_attn.q_proj.weight          BF16   [8, 8]   128 B
                  model.layers.0.self_attn.v_proj.weight          BF16   [8, 8]   128 B
                  model.norm.weight                               BF16   [8]       16 B

                By dtype
                  DTYPE  TENSORS  PARAMETERS     SIZE
                  BF16        12       1,176  2.35 kB
                """.formatted(model));
        assertThat(dir.resolve("m/model.safetensors")).hasSize(8 + 1152 + 2352);
    }

    @Test
    void filterListsMatchingTensorsAndKeepsTotals() {
        Cli.Result r = Cli.graft("inspect", model.toString(), "--filter", "norm");
        assertThat(r.out()).contains("""
                Parameters    1,176 (1.2K) in 12 tensors, 2.35 kB
                Metadata      format=pt

                Tensors matching /norm/ (3 of 12)
                  NAME                                            DTYPE  SHAPE  SIZE
                  model.layers.0.input_layernorm.weight           BF16   [8]    16 B
                  model.layers.0.post_attention_layernorm.weight  BF16   [8]    16 B
                  model.norm.weight                               BF16   [8]    16 B
                """);
        assertThat(Cli.graft("inspect", model.toString(), "--filter", "bias").out())
                .contains("Tensors matching /bias/: none of 12\n");
    }

    @Test
    void noTensorsPrintsTheSummaryOnly() {
        Cli.Result r = Cli.graft("inspect", model.toString(), "--no-tensors");
        assertThat(r.out()).doesNotContain("NAME").endsWith("""
                Metadata      format=pt

                By dtype
                  DTYPE  TENSORS  PARAMETERS     SIZE
                  BF16        12       1,176  2.35 kB
                """);
    }

    @Test
    void jsonHasTheSameContent() throws Exception {
        Cli.Result r = Cli.graft("inspect", model.toString(), "--json", "--filter", "^model\\.norm");
        assertThat(r.code()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("path").asText()).isEqualTo(model.toString());
        assertThat(j.get("kind").asText()).isEqualTo("model");
        assertThat(j.get("files").toString()).isEqualTo(
                "[{\"name\":\"model.safetensors\",\"bytes\":3512},{\"name\":\"config.json\",\"bytes\":287}]");
        assertThat(j.get("architecture").toString()).isEqualTo(
                "{\"family\":\"llama\",\"class\":\"LlamaForCausalLM\",\"source\":\"config\",\"layers\":1,\"warnings\":[]}");
        assertThat(j.get("config_dtype").asText()).isEqualTo("bfloat16");
        assertThat(j.get("tensor_count").asInt()).isEqualTo(12);
        assertThat(j.get("parameters").asLong()).isEqualTo(1176);
        assertThat(j.get("tensor_bytes").asLong()).isEqualTo(2352);
        assertThat(j.get("metadata").toString()).isEqualTo("{\"format\":\"pt\"}");
        assertThat(j.get("dtypes").toString()).isEqualTo(
                "[{\"dtype\":\"BF16\",\"tensors\":12,\"parameters\":1176,\"bytes\":2352}]");
        assertThat(j.get("tensors").toString()).isEqualTo(
                "[{\"name\":\"model.norm.weight\",\"dtype\":\"BF16\",\"shape\":[8],\"parameters\":8,\"bytes\":16}]");
        assertThat(new ObjectMapper().readTree(Cli.graft("inspect", model.toString(), "--json", "--no-tensors").out())
                .has("tensors")).isFalse();
    }

    @Test
    void shardedModelByIndexFileAndFolder() {
        Path sharded = TinyLlama.builder().layers(2).maxShardBytes(40_000).writeTo(dir.resolve("sharded"));
        Cli.Result byFolder = Cli.graft("inspect", sharded.toString(), "--no-tensors");
        assertThat(byFolder.out()).contains("""
                Files         model-00001-of-00007.safetensors  32.9 kB
                              model-00002-of-00007.safetensors  33.2 kB
                              model-00003-of-00007.safetensors  33 kB
                """).contains("Architecture  llama (LlamaForCausalLM), 2 layers\n");
        Cli.Result byIndex = Cli.graft("inspect", sharded.resolve("model.safetensors.index.json").toString(),
                "--no-tensors");
        assertThat(byIndex.code()).isZero();
        assertThat(byIndex.out().lines().skip(1).toList()).isEqualTo(byFolder.out().lines().skip(1).toList());
    }

    @Test
    void withoutConfigTheArchitectureIsGuessed() throws Exception {
        Path lone = Files.copy(model.resolve("model.safetensors"), dir.resolve("lone.safetensors"));
        Cli.Result r = Cli.graft("inspect", lone.toString(), "--no-tensors");
        assertThat(r.out()).startsWith("""
                Model         %s
                Files         lone.safetensors  3.51 kB
                Architecture  llama (guessed from tensor names), 1 layer
                Parameters    1,176 (1.2K) in 12 tensors, 2.35 kB
                """.formatted(lone));
    }

    @Test
    void configDisagreeingWithTensorsIsAWarning() throws Exception {
        Path cfg = model.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"num_hidden_layers\": 1", "\"num_hidden_layers\": 3"));
        assertThat(Cli.graft("inspect", model.toString(), "--no-tensors").out()).contains(
                "Architecture  llama (LlamaForCausalLM), 3 layers\n",
                "Warning       config.json declares 3 layers but the tensors have blocks 0 to 0\n");
    }

    @Test
    void peftAdapterFolderShowsLoraFields() throws Exception {
        Path adapter = Files.createDirectory(dir.resolve("adapter"));
        Files.writeString(adapter.resolve("adapter_config.json"), """
                {"peft_type": "LORA", "r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"]}""");
        String prefix = "base_model.model.model.layers.0.self_attn.";
        List<TensorSpec> specs = List.of(
                new TensorSpec(prefix + "q_proj.lora_A.weight", DType.F32, Shape.of(4, 8)),
                new TensorSpec(prefix + "q_proj.lora_B.weight", DType.F32, Shape.of(8, 4)));
        try (SafetensorsWriter w = SafetensorsWriter.create(adapter.resolve("adapter_model.safetensors"), specs,
                SafetensorsWriter.PT_METADATA, false)) {
            for (TensorSpec s : specs) {
                w.writeFloats(s.name(), new float[32]);
            }
            w.commit();
        }
        Cli.Result r = Cli.graft("inspect", adapter.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("""
                Adapter     %s
                Files       adapter_model.safetensors  536 B
                LoRA        r=4, lora_alpha=8, target_modules=["q_proj","v_proj"]
                Parameters  64 (64) in 2 tensors, 256 B
                Metadata    format=pt

                Tensors
                  NAME                                                            DTYPE  SHAPE    SIZE
                  base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight  F32    [4, 8]  128 B
                  base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight  F32    [8, 4]  128 B

                By dtype
                  DTYPE  TENSORS  PARAMETERS   SIZE
                  F32          2          64  256 B
                """.formatted(adapter));
        JsonNode j = new ObjectMapper().readTree(Cli.graft("inspect", adapter.toString(), "--json").out());
        assertThat(j.get("kind").asText()).isEqualTo("peft_adapter");
        assertThat(j.get("adapter").toString()).isEqualTo(
                "{\"r\":4,\"lora_alpha\":8,\"target_modules\":[\"q_proj\",\"v_proj\"]}");
        assertThat(j.has("architecture")).isFalse();
    }

    @Test
    void adapterConfigBesideModelWeightsIsAModel() throws Exception {
        Files.writeString(model.resolve("adapter_config.json"), "{\"r\": 4}");
        assertThat(Cli.graft("inspect", model.toString(), "--no-tensors").out()).startsWith("Model ");
    }

    @Test
    void adapterFolderWithoutSafetensorsWeightsFails() throws Exception {
        Path adapter = Files.createDirectory(dir.resolve("bin-adapter"));
        Files.writeString(adapter.resolve("adapter_config.json"), "{\"peft_type\": \"LORA\", \"r\": 4}");
        Files.write(adapter.resolve("adapter_model.bin"), new byte[16]);
        Cli.Result r = Cli.graft("inspect", adapter.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + adapter + ": no adapter_model.safetensors (only adapter_model.bin "
                + "is present; Graft reads safetensors only — re-save with safe_serialization=True)\n");
    }

    @Test
    void adapterConfigWithoutPeftTypeFails() throws Exception {
        Path adapter = Files.createDirectory(dir.resolve("no-type"));
        Files.writeString(adapter.resolve("adapter_config.json"), "{\"r\": 4}");
        Cli.Result r = Cli.graft("inspect", adapter.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + adapter.resolve("adapter_config.json")
                + ": no \"peft_type\"; not a PEFT adapter config\n");
    }
}
