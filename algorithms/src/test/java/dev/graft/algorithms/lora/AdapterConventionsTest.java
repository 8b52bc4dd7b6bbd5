package dev.graft.algorithms.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.lora.AdapterMismatchException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.peft.AdapterConfig;
import dev.graft.formats.peft.LoraKeys;
import dev.graft.formats.peft.PeftAdapter;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What PEFT's {@code AutoPeftModelFor*} classes need from an extracted adapter ({@code task_type},
 * {@code base_model_name_or_path}), and {@code lora combine} of what {@code extract} writes by default.
 */
class AdapterConventionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String Q = "model.layers.0.self_attn.q_proj";
    /** What the default selection saves whole for this family: every changed non-block tensor and norm. */
    private static final List<String> SAVED = List.of("lm_head.weight", "model.embed_tokens.weight",
            "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight",
            "model.norm.weight");

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

    @Test
    void twoDefaultExtractionsCombineAgainstTheBaseTheyRecord() throws IOException {
        Path a = extract(family.base(), family.fineTunes().get(0), "a");
        Path b = extract(family.base(), family.fineTunes().get(1), "b");
        assertThat(AdapterConfig.read(a.resolve(AdapterConfig.FILE_NAME)).modulesToSave()).hasSize(SAVED.size());

        LoraComposition.CompositionReport r = LoraComposition.of(CombinationMethod.CAT)
                .adapter(a, 1).adapter(b, -1).write(dir.resolve("ab"));
        assertThat(r.savedBase()).contains(family.base());
        assertThat(r.savedTensors()).containsExactlyElementsOf(SAVED);

        try (PeftAdapter ab = PeftAdapter.open(dir.resolve("ab")); PeftAdapter pa = PeftAdapter.open(a);
             PeftAdapter pb = PeftAdapter.open(b); ModelSource base = ModelSource.open(family.base())) {
            AdapterConfig c = ab.config();
            assertThat(c.taskType()).contains("CAUSAL_LM");
            assertThat(c.baseModel()).contains(family.base().toString());
            assertThat(c.modulesToSave()).containsExactly("lm_head", "model.embed_tokens",
                    "model.layers.0.input_layernorm", "model.layers.0.post_attention_layernorm", "model.norm");
            for (String t : SAVED) {
                // W + 1·(S₁ − W) − 1·(S₂ − W), in the float arithmetic of the combination
                float[] w = base.tensor(t).toFloatArray();
                float[] s1 = pa.weights().tensor(LoraKeys.savedModule(t)).toFloatArray();
                float[] s2 = pb.weights().tensor(LoraKeys.savedModule(t)).toFloatArray();
                float[] expected = w.clone();
                for (int k = 0; k < w.length; k++) {
                    expected[k] += 1f * (s1[k] - w[k]);
                    expected[k] += -1f * (s2[k] - w[k]);
                }
                assertThat(ab.weights().tensor(LoraKeys.savedModule(t)).toFloatArray()).as(t).containsExactly(expected);
            }
            // cat: A stacks 1·A₁ over −1·A₂ (scaling 1), B puts B₁ beside B₂
            float[] a1 = pa.weights().tensor(LoraKeys.loraA(Q)).toFloatArray();
            float[] a2 = pb.weights().tensor(LoraKeys.loraA(Q)).toFloatArray();
            float[] expectedA = new float[a1.length + a2.length];
            System.arraycopy(a1, 0, expectedA, 0, a1.length);
            for (int k = 0; k < a2.length; k++) {
                expectedA[a1.length + k] = -a2[k];
            }
            assertThat(ab.weights().tensor(LoraKeys.loraA(Q)).toFloatArray()).containsExactly(expectedA);
        }

        // the same adapter as with the base named explicitly
        LoraComposition.of(CombinationMethod.CAT).adapter(a, 1).adapter(b, -1).base(family.base())
                .write(dir.resolve("explicit"));
        for (String f : List.of(AdapterConfig.FILE_NAME, PeftAdapter.WEIGHTS_FILE)) {
            assertThat(Files.readAllBytes(dir.resolve("ab").resolve(f)))
                    .isEqualTo(Files.readAllBytes(dir.resolve("explicit").resolve(f)));
        }
    }

    @Test
    void modulesToSaveWithoutAKnownBaseAreRefusedNamingTheModule() throws IOException {
        Path a = Extraction.of(family.base(), family.fineTunes().get(0)).rank(2).baseModelName("meta-llama/Llama-3.2-1B")
                .write(dir.resolve("a")).output();
        Path b = extract(family.base(), family.fineTunes().get(1), "b");
        // a Hub name and the record of the local base: the record is enough
        LoraComposition.of(CombinationMethod.CAT).adapter(a, 1).adapter(b, 1).write(dir.resolve("ok"));
        assertThat(AdapterConfig.read(dir.resolve("ok").resolve(AdapterConfig.FILE_NAME)).modulesToSave()).hasSize(5);

        Files.delete(a.resolve(ExtractionReport.FILE_NAME));
        AdapterMismatchException e = catchThrowableOfType(AdapterMismatchException.class, () ->
                LoraComposition.of(CombinationMethod.CAT).adapter(b, 1).adapter(a, 1).write(dir.resolve("o")));
        assertThat(e.getMessage()).isEqualTo(a.resolve(PeftAdapter.WEIGHTS_FILE) + ": saves module \"lm_head\" "
                + "(and 4 more) whole (modules_to_save), which combines only against the base model, and it names no "
                + "base model on this machine (base_model_name_or_path \"meta-llama/Llama-3.2-1B\"); give the base "
                + "with --base MODEL, leave the modules out with --drop-modules-to-save, or merge the adapters into "
                + "the base with 'graft lora apply'");
        assertThat(dir.resolve("o")).doesNotExist();

        LoraComposition.of(CombinationMethod.CAT).adapter(b, 1).adapter(a, 1).base(family.base()).write(dir.resolve("o"));
        assertThat(AdapterConfig.read(dir.resolve("o").resolve(AdapterConfig.FILE_NAME)).modulesToSave()).hasSize(5);
    }

    @Test
    void adaptersRecordingDifferentBasesAreRefused() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(family.base().resolve(f), copy.resolve(f));
        }
        Path a = extract(family.base(), family.fineTunes().get(0), "a");
        Path b = extract(copy, family.fineTunes().get(1), "b");
        AdapterMismatchException e = catchThrowableOfType(AdapterMismatchException.class, () ->
                LoraComposition.of(CombinationMethod.CAT).adapter(a, 1).adapter(b, 1).write(dir.resolve("o")));
        assertThat(e.getMessage()).isEqualTo(b.resolve(PeftAdapter.WEIGHTS_FILE) + ": was made from the base model "
                + copy + " but " + a + " from " + family.base() + "; modules_to_save weights combine against one "
                + "base: give it with --base MODEL, or leave them out with --drop-modules-to-save");
    }
}
