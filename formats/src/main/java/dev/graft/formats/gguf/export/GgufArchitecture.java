package dev.graft.formats.gguf.export;

import dev.graft.formats.gguf.GgufError;
import dev.graft.formats.gguf.GgufException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Hugging Face architectures Graft exports to GGUF, and what llama.cpp's {@code convert_hf_to_gguf.py} does
 * differently for each: the architecture name it writes, whether it permutes the rows of {@code q_proj} and
 * {@code k_proj} (the Llama family, whose GGUF rotary embedding pairs adjacent rows where transformers pairs the two
 * halves of a head), and Gemma's stored norm weights (transformers computes {@code x · (1 + w)}, llama.cpp
 * {@code x · w}, so the converter adds 1).
 */
public enum GgufArchitecture {
    /** {@code LlamaForCausalLM}: {@code LlamaModel} in the converter. */
    LLAMA("llama", "llama", true, false),
    /** {@code MistralForCausalLM}: registered with {@code LlamaModel}, so written as {@code llama}. */
    MISTRAL("mistral", "llama", true, false),
    /** {@code Qwen2ForCausalLM}: NeoX-style rotary embedding, no permutation; q/k/v have biases. */
    QWEN2("qwen2", "qwen2", false, false),
    /** {@code GemmaForCausalLM}: NeoX-style rotary embedding, norms stored plus one, no {@code lm_head}. */
    GEMMA("gemma", "gemma", false, true);

    private final String modelType;
    private final String ggufName;
    private final boolean permutesQueryKey;
    private final boolean normPlusOne;

    GgufArchitecture(String modelType, String ggufName, boolean permutesQueryKey, boolean normPlusOne) {
        this.modelType = modelType;
        this.ggufName = ggufName;
        this.permutesQueryKey = permutesQueryKey;
        this.normPlusOne = normPlusOne;
    }

    /** The {@code model_type} of {@code config.json}. */
    public String modelType() {
        return modelType;
    }

    /** {@code general.architecture}, and the prefix of the architecture's keys ({@code llama.block_count}). */
    public String ggufName() {
        return ggufName;
    }

    /** Whether {@code q_proj} and {@code k_proj} rows are permuted to GGUF's interleaved rotary layout. */
    public boolean permutesQueryKey() {
        return permutesQueryKey;
    }

    /** Whether norm weights are stored as {@code w + 1}. */
    public boolean normPlusOne() {
        return normPlusOne;
    }

    /** The {@code model_type} values Graft exports, for messages. */
    public static String supported() {
        return Arrays.stream(values()).map(GgufArchitecture::modelType).collect(Collectors.joining(", "));
    }

    /**
     * The architecture of a {@code model_type}.
     *
     * @param model the model, for the message
     * @throws GgufException ({@link GgufError#UNSUPPORTED_ARCHITECTURE}) listing the supported ones
     */
    public static GgufArchitecture of(String modelType, Path model) {
        String t = modelType.toLowerCase(Locale.ROOT);
        for (GgufArchitecture a : values()) {
            if (a.modelType.equals(t)) {
                return a;
            }
        }
        throw new GgufException(model, GgufError.UNSUPPORTED_ARCHITECTURE, "\"" + modelType
                + "\" has no GGUF mapping in Graft; supported: " + supported());
    }
}
