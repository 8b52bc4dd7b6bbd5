package dev.graft.formats.gguf.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.gguf.GgufError;
import dev.graft.formats.gguf.GgufException;
import dev.graft.formats.gguf.GgufValue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The architecture keys llama.cpp reads, from {@code config.json} as {@code convert_hf_to_gguf.py} fills them
 * ({@code TextModel.set_gguf_parameters} and the Llama, Qwen2 and Gemma subclasses), all prefixed with the GGUF
 * architecture name: {@code context_length} ← {@code max_position_embeddings} (or the converter's other
 * spellings; left out when the config has none), {@code embedding_length} ←
 * {@code hidden_size}, {@code block_count} ← {@code num_hidden_layers}, {@code feed_forward_length} ←
 * {@code intermediate_size} (likewise), {@code attention.head_count} ← {@code num_attention_heads},
 * {@code attention.head_count_kv} ← {@code num_key_value_heads} (else the head count),
 * {@code rope.freq_base} ← {@code rope_theta}, {@code attention.layer_norm_rms_epsilon} ← {@code rms_norm_eps},
 * {@code vocab_size}, {@code rope.dimension_count} and, where {@code head_dim} is given,
 * {@code attention.key_length} / {@code value_length}; linear rope scaling as {@code rope.scaling.type} /
 * {@code rope.scaling.factor}.
 *
 * @param heads    {@code num_attention_heads}
 * @param kvHeads  {@code num_key_value_heads}, or the head count
 * @param metadata the keys, in the converter's order
 */
public record HyperParameters(int heads, int kvHeads, Map<String, GgufValue> metadata) {

    /**
     * Reads a config.
     *
     * @param configFile the file, for messages
     * @throws GgufException ({@link GgufError#UNMAPPED}) for a missing field or a rope scaling llama.cpp needs
     *                       more than keys for
     */
    public static HyperParameters of(GgufArchitecture arch, ObjectNode config, Path configFile) {
        String a = arch.ggufName() + ".";
        Map<String, GgufValue> m = new LinkedHashMap<>();
        int layers = required(config, "num_hidden_layers", configFile);
        int hidden = required(config, "hidden_size", configFile);
        int heads = required(config, "num_attention_heads", configFile);
        int kvHeads = config.path("num_key_value_heads").isInt() ? config.get("num_key_value_heads").asInt() : heads;
        firstInt(config, "max_position_embeddings", "n_ctx", "n_positions", "max_length", "max_sequence_length",
                "model_max_length").ifPresent(n -> m.put(a + "context_length", GgufValue.u32(n)));
        m.put(a + "embedding_length", GgufValue.u32(hidden));
        m.put(a + "block_count", GgufValue.u32(layers));
        firstInt(config, "intermediate_size", "n_inner", "hidden_dim")
                .ifPresent(n -> m.put(a + "feed_forward_length", GgufValue.u32(n)));
        m.put(a + "attention.head_count", GgufValue.u32(heads));
        m.put(a + "attention.head_count_kv", GgufValue.u32(kvHeads));
        if (config.path("rope_theta").isNumber()) {
            m.put(a + "rope.freq_base", GgufValue.f32((float) config.get("rope_theta").asDouble()));
        }
        if (config.path("rms_norm_eps").isNumber()) {
            m.put(a + "attention.layer_norm_rms_epsilon", GgufValue.f32((float) config.get("rms_norm_eps").asDouble()));
        }
        if (config.path("vocab_size").isInt()) {
            m.put(a + "vocab_size", GgufValue.u32(config.get("vocab_size").asInt()));
        }
        int headDim = config.path("head_dim").isInt() ? config.get("head_dim").asInt() : hidden / heads;
        if (arch != GgufArchitecture.GEMMA) {
            m.put(a + "rope.dimension_count", GgufValue.u32(headDim));
        }
        if (config.path("head_dim").isInt()) {
            m.put(a + "attention.key_length", GgufValue.u32(headDim));
            m.put(a + "attention.value_length", GgufValue.u32(headDim));
        }
        ropeScaling(config, configFile, a, m);
        return new HyperParameters(heads, kvHeads, m);
    }

    private static void ropeScaling(ObjectNode config, Path configFile, String a, Map<String, GgufValue> m) {
        JsonNode s = config.path("rope_scaling");
        if (s.isMissingNode() || s.isNull()) {
            return;
        }
        String type = s.path("rope_type").asText(s.path("type").asText(""));
        if (type.equals("default")) {
            return;
        }
        if (type.equals("linear") && s.path("factor").isNumber()) {
            m.put(a + "rope.scaling.type", GgufValue.string("linear"));
            m.put(a + "rope.scaling.factor", GgufValue.f32((float) s.get("factor").asDouble()));
            return;
        }
        throw new GgufException(configFile, GgufError.UNMAPPED, "rope_scaling of type \"" + type + "\" is not "
                + "exported yet (llama.cpp needs a rope_freqs tensor or YaRN keys for it); only linear scaling is");
    }

    /** The first of the fields the converter's {@code find_hparam} tries that the config has, if any. */
    private static java.util.OptionalInt firstInt(ObjectNode config, String... fields) {
        for (String f : fields) {
            if (config.path(f).isIntegralNumber()) {
                return java.util.OptionalInt.of(config.get(f).asInt());
            }
        }
        return java.util.OptionalInt.empty();
    }

    private static int required(ObjectNode config, String field, Path configFile) {
        JsonNode v = config.path(field);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new GgufException(configFile, GgufError.UNMAPPED, "config.json has no integer \"" + field
                    + "\", which the GGUF metadata needs");
        }
        return v.asInt();
    }
}
