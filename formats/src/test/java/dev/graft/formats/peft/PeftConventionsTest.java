package dev.graft.formats.peft;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PeftTaskType} and {@link BaseModelName}: the fields PEFT's AutoPeftModel classes read. */
class PeftConventionsTest {
    private static ModelConfig config(String architecture, boolean encoderDecoder, String nameOrPath) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (architecture != null) {
            o.putArray("architectures").add(architecture);
        }
        if (encoderDecoder) {
            o.put("is_encoder_decoder", true);
        }
        if (nameOrPath != null) {
            o.put("_name_or_path", nameOrPath);
        }
        return ModelConfig.of(o);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "LlamaForCausalLM, false, CAUSAL_LM",
            "Qwen2ForCausalLM, false, CAUSAL_LM",
            "GPT2LMHeadModel, false, CAUSAL_LM",
            "LlamaForSequenceClassification, false, SEQ_CLS",
            "BartForSequenceClassification, true, SEQ_CLS",
            "T5ForConditionalGeneration, true, SEQ_2_SEQ_LM",
            "BartForConditionalGeneration, true, SEQ_2_SEQ_LM",
            "T5WithLMHeadModel, true, SEQ_2_SEQ_LM",
            "MarianMTModel, true, SEQ_2_SEQ_LM",
            "LlavaForConditionalGeneration, false, null",
            "BertForTokenClassification, false, TOKEN_CLS",
            "BertForQuestionAnswering, false, QUESTION_ANS",
            "BertModel, false, FEATURE_EXTRACTION",
            "LlamaModel, false, FEATURE_EXTRACTION",
            "GPT2DoubleHeadsModel, false, null",
            "BertForMaskedLM, false, null",
            "ViTForImageClassification, false, null",
            "Model, false, null"})
    void taskTypeFollowsTheArchitecturesHead(String architecture, boolean encoderDecoder, String expected) {
        assertThat(PeftTaskType.of(config(architecture, encoderDecoder, null)).map(PeftTaskType::peftName))
                .isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void taskTypeNamesArePeftsAndAConfigWithoutArchitecturesHasNone() {
        assertThat(List.of(PeftTaskType.values())).extracting(PeftTaskType::peftName).containsExactly(
                "SEQ_CLS", "SEQ_2_SEQ_LM", "CAUSAL_LM", "TOKEN_CLS", "QUESTION_ANS", "FEATURE_EXTRACTION");
        assertThat(PeftTaskType.of(config(null, false, null))).isEmpty();
        assertThat(PeftTaskType.parse("CAUSAL_LM")).contains(PeftTaskType.CAUSAL_LM);
        assertThat(PeftTaskType.parse("causal_lm")).isEmpty();
    }

    @Test
    void adapterConfigWritesTheTaskType() {
        AdapterConfig c = AdapterConfig.lora(4, 4, List.of("q_proj"), "base");
        assertThat(c.taskType()).isEmpty();
        assertThat(c.json().get("task_type").isNull()).isTrue();
        AdapterConfig seq = c.withTaskType(PeftTaskType.SEQ_CLS);
        assertThat(seq.toJson()).contains("\n  \"task_type\": \"SEQ_CLS\",\n");
        assertThat(seq.taskType()).contains("SEQ_CLS");
        assertThat(seq.withTaskType(null).toJson()).isEqualTo(c.toJson());
    }

    @ParameterizedTest
    @CsvSource({
            "meta-llama/Llama-3.1-8B, true",
            "gpt2, true",
            "Qwen/Qwen2.5-0.5B-Instruct, true",
            "/models/llama, false",
            "./llama, false",
            "~/models/llama, false",
            "../llama, false",
            "org/name/extra, false",
            "org--x/name, false",
            "org/na..me, false",
            "org/name.git, false",
            "-org/name, false",
            "org/name-, false",
            // exists in the module's folder, where the tests run: a local path, as transformers would take it
            "pom.xml, false",
            "src/main, false"})
    void hubIdsLookLikeOrgSlashNameAndAreNotLocalPaths(String name, boolean hub) {
        assertThat(BaseModelName.isHubId(name)).isEqualTo(hub);
    }

    @Test
    void baseModelNameIsTheConfigsHubIdElseTheAbsoluteBasePath() {
        Path base = Path.of("models", "..", "models", "base");
        String absolute = Path.of("").toAbsolutePath().resolve("models").resolve("base").toString();
        assertThat(BaseModelName.of(base, Optional.of(config("LlamaForCausalLM", false, "meta-llama/Llama-3.1-8B"))))
                .isEqualTo("meta-llama/Llama-3.1-8B");
        assertThat(BaseModelName.of(base, Optional.of(config("LlamaForCausalLM", false, "/home/me/ckpt/base"))))
                .isEqualTo(absolute);
        assertThat(BaseModelName.of(base, Optional.of(config("LlamaForCausalLM", false, null)))).isEqualTo(absolute);
        assertThat(BaseModelName.of(base, Optional.empty())).isEqualTo(absolute);
    }
}
