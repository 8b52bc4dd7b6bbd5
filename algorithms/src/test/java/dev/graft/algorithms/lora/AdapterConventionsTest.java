package dev.graft.algorithms.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.peft.AdapterConfig;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What PEFT's {@code AutoPeftModelFor*} classes need from an extracted adapter ({@code task_type},
 * {@code base_model_name_or_path}).
 */
class AdapterConventionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FineTuneFamily.Folders family;

    @BeforeEach
    void models() {
        family = FineTuneFamily.of(TinyLlama.builder().layers(1).hidden(32).intermediate(64).vocab(64).heads(2)
                .dtype(DType.F32).seed(1).build()).fineTunes(2).rank(2).noise(0.001).outliers(0).seed(3)
                .writeTo(dir.resolve("family"));
    }

    private static JsonNode json(Path file) throws IOException {
        return JSON.readTree(Files.readAllBytes(file));
    }

    private static void editConfig(Path model, String field, JsonNode value) throws IOException {
        ObjectNode c = (ObjectNode) json(model.resolve("config.json"));
        c.set(field, value);
        Files.writeString(model.resolve("config.json"), c.toString());
    }

    private Path extract(Path base, Path tuned, String name) {
        return Extraction.of(base, tuned).rank(2).write(dir.resolve(name)).output();
    }

    @Test
    void causalLmBaseGivesCausalLmAndTheAbsoluteBasePath() throws IOException {
        // the base as a user may type it: a detour through "." that the adapter must not keep
        Path given = family.base().getParent().resolve(".").resolve("base");
        Path a = extract(given, family.fineTunes().get(0), "a");

        JsonNode c = json(a.resolve(AdapterConfig.FILE_NAME));
        assertThat(c.get("task_type").textValue()).isEqualTo("CAUSAL_LM");
        assertThat(c.get("base_model_name_or_path").textValue()).isEqualTo(family.base().toString());
        assertThat(json(a.resolve(ExtractionReport.FILE_NAME)).get("base_model_path").textValue())
                .isEqualTo(family.base().toString());
    }

    @Test
    void sequenceClassificationBaseWithAHubNameGivesSeqClsAndTheHubId() throws IOException {
        editConfig(family.base(), "architectures", JSON.createArrayNode().add("LlamaForSequenceClassification"));
        editConfig(family.base(), "_name_or_path", JSON.getNodeFactory().textNode("meta-llama/Llama-3.2-1B"));
        Path a = extract(family.base(), family.fineTunes().get(0), "a");

        JsonNode c = json(a.resolve(AdapterConfig.FILE_NAME));
        assertThat(c.get("task_type").textValue()).isEqualTo("SEQ_CLS");
        assertThat(c.get("base_model_name_or_path").textValue()).isEqualTo("meta-llama/Llama-3.2-1B");
        // the local folder is still recorded, for combining modules_to_save weights
        assertThat(json(a.resolve(ExtractionReport.FILE_NAME)).get("base_model_path").textValue())
                .isEqualTo(family.base().toString());
    }

    @Test
    void aLocalNameOrPathInTheConfigGivesTheBasePath() throws IOException {
        editConfig(family.base(), "_name_or_path", JSON.getNodeFactory().textNode("/home/someone/ckpt/llama"));
        Path a = extract(family.base(), family.fineTunes().get(0), "a");
        assertThat(json(a.resolve(AdapterConfig.FILE_NAME)).get("base_model_name_or_path").textValue())
                .isEqualTo(family.base().toString());
    }

    @Test
    void baseWithoutConfigHasNoTaskType() throws IOException {
        Path files = Files.createDirectories(dir.resolve("files"));
        Path base = Files.copy(family.base().resolve("model.safetensors"), files.resolve("base.safetensors"));
        Path tuned = Files.copy(family.fineTunes().get(0).resolve("model.safetensors"), files.resolve("ft.safetensors"));
        Path a = extract(files.resolve(".").resolve("base.safetensors"), tuned, "a");

        JsonNode c = json(a.resolve(AdapterConfig.FILE_NAME));
        assertThat(c.get("task_type").isNull()).isTrue();
        assertThat(c.get("base_model_name_or_path").textValue()).isEqualTo(base.toString());
    }
}
