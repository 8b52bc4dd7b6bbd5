package dev.graft.formats.peft;

import dev.graft.formats.model.ModelConfig;

import java.util.Objects;
import java.util.Optional;

/**
 * PEFT's {@code TaskType} ({@code peft/utils/peft_types.py}): the {@code task_type} of an adapter config, which
 * PEFT's {@code AutoPeftModelFor*} classes read to choose the transformers auto class that loads the base model
 * ({@code CAUSAL_LM} → {@code AutoModelForCausalLM} …). An adapter with {@code task_type: null} and no
 * {@code auto_mapping} is refused by every {@code AutoPeftModelFor*} ("Cannot infer the auto class from the
 * config"), and PEFT refuses any string that is not one of these names, so the constant names are the JSON values.
 */
public enum PeftTaskType {
    /** Text classification ({@code *ForSequenceClassification}). */
    SEQ_CLS,
    /** Sequence-to-sequence language modelling (encoder-decoder models: T5, BART …). */
    SEQ_2_SEQ_LM,
    /** Causal language modelling ({@code *ForCausalLM}, GPT-2's {@code GPT2LMHeadModel}). */
    CAUSAL_LM,
    /** Token classification ({@code *ForTokenClassification}). */
    TOKEN_CLS,
    /** Extractive question answering ({@code *ForQuestionAnswering}). */
    QUESTION_ANS,
    /** Hidden states as features ({@code AutoModel}: the bare {@code *Model} classes). */
    FEATURE_EXTRACTION;

    /** The value of {@code task_type} in {@code adapter_config.json}. */
    public String peftName() {
        return name();
    }

    /**
     * The task of a base model from its {@code config.json}: {@link #forArchitecture} of {@code architectures[0]}.
     *
     * @return empty when the config names no architecture or one that maps to no PEFT task
     */
    public static Optional<PeftTaskType> of(ModelConfig config) {
        return config.architectures().stream().findFirst()
                .flatMap(a -> forArchitecture(a, config.isEncoderDecoder()));
    }

    /**
     * The task of a transformers model class, by the suffix naming its head.
     *
     * <p>{@code *ForConditionalGeneration} is a sequence-to-sequence model only when it is an encoder-decoder
     * (T5, BART); the same suffix names vision-language decoders (LLaVA, Qwen2-VL), which no
     * {@code AutoPeftModelFor*} class loads reliably, so they get no task rather than a wrong one.
     * {@code *LMHeadModel} is the older spelling of a causal LM head (GPT-2, CTRL, XLNet) or, for an
     * encoder-decoder ({@code T5WithLMHeadModel}), of a sequence-to-sequence one; so is Marian's
     * {@code MarianMTModel}.
     *
     * @param className      {@code architectures[0]}, e.g. {@code LlamaForCausalLM}
     * @param encoderDecoder the config's {@code is_encoder_decoder}
     * @return empty for heads PEFT has no task for ({@code *ForMaskedLM}, {@code *ForImageClassification} …)
     */
    public static Optional<PeftTaskType> forArchitecture(String className, boolean encoderDecoder) {
        Objects.requireNonNull(className, "className");
        if (className.endsWith("ForCausalLM")) {
            return Optional.of(CAUSAL_LM);
        }
        if (className.endsWith("ForSequenceClassification")) {
            return Optional.of(SEQ_CLS);
        }
        if (className.endsWith("ForSeq2SeqLM")) {
            return Optional.of(SEQ_2_SEQ_LM);
        }
        if (className.endsWith("ForConditionalGeneration")) {
            return encoderDecoder ? Optional.of(SEQ_2_SEQ_LM) : Optional.empty();
        }
        if (className.endsWith("ForTokenClassification")) {
            return Optional.of(TOKEN_CLS);
        }
        if (className.endsWith("ForQuestionAnswering")) {
            return Optional.of(QUESTION_ANS);
        }
        if (className.endsWith("LMHeadModel")) {
            return Optional.of(encoderDecoder ? SEQ_2_SEQ_LM : CAUSAL_LM);
        }
        if (className.endsWith("MTModel") && encoderDecoder) {
            return Optional.of(SEQ_2_SEQ_LM);       // MarianMTModel: a translation model despite the bare name
        }
        // a bare backbone (BertModel, LlamaModel); other *Model names carry a head (GPT2DoubleHeadsModel)
        boolean bare = className.endsWith("Model") && className.length() > "Model".length()
                && !className.contains("For") && !className.endsWith("HeadModel")
                && !className.endsWith("HeadsModel") && !className.endsWith("PreTrainedModel");
        return bare ? Optional.of(FEATURE_EXTRACTION) : Optional.empty();
    }

    /** The constant whose {@link #peftName} is {@code value}, if any. */
    public static Optional<PeftTaskType> parse(String value) {
        for (PeftTaskType t : values()) {
            if (t.peftName().equals(value)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
