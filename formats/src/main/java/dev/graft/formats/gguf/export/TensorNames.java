package dev.graft.formats.gguf.export;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face tensor names of the Llama-style decoders to GGUF names, as gguf-py's {@code tensor_mapping.py} maps
 * them: {@code model.embed_tokens} → {@code token_embd}, {@code model.layers.N.self_attn.q_proj} →
 * {@code blk.N.attn_q}, … {@code model.norm} → {@code output_norm}, {@code lm_head} → {@code output}; the
 * {@code .weight} / {@code .bias} suffix is kept. Rotary {@code inv_freq} buffers, which llama.cpp recomputes, are
 * skipped as the converter skips them.
 */
public final class TensorNames {
    private static final Pattern BLOCK = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)\\.(weight|bias)");
    private static final Pattern TOP = Pattern.compile("(.+)\\.(weight|bias)");
    private static final Map<String, String> IN_BLOCK = Map.ofEntries(
            Map.entry("input_layernorm", "attn_norm"),
            Map.entry("self_attn.q_proj", "attn_q"),
            Map.entry("self_attn.k_proj", "attn_k"),
            Map.entry("self_attn.v_proj", "attn_v"),
            Map.entry("self_attn.o_proj", "attn_output"),
            Map.entry("post_attention_layernorm", "ffn_norm"),
            Map.entry("mlp.gate_proj", "ffn_gate"),
            Map.entry("mlp.up_proj", "ffn_up"),
            Map.entry("mlp.down_proj", "ffn_down"));
    private static final Map<String, String> OUTSIDE = Map.of(
            "model.embed_tokens", "token_embd",
            "model.norm", "output_norm",
            "lm_head", "output");

    private TensorNames() {
    }

    /** Whether llama.cpp's converter drops the tensor ({@code rotary_emb.inv_freq}). */
    public static boolean isSkipped(String hfName) {
        return hfName.endsWith(".rotary_emb.inv_freq");
    }

    /** The GGUF name of a Hugging Face tensor; empty for a name outside the mapping. */
    public static Optional<String> gguf(String hfName) {
        Matcher b = BLOCK.matcher(hfName);
        if (b.matches()) {
            String part = IN_BLOCK.get(b.group(2));
            return part == null ? Optional.empty() : Optional.of("blk." + b.group(1) + "." + part + "." + b.group(3));
        }
        Matcher t = TOP.matcher(hfName);
        if (t.matches() && OUTSIDE.containsKey(t.group(1))) {
            return Optional.of(OUTSIDE.get(t.group(1)) + "." + t.group(2));
        }
        return Optional.empty();
    }

    /** The Hugging Face name of a GGUF tensor, the inverse of {@link #gguf}; empty for other names. */
    public static Optional<String> huggingFace(String ggufName) {
        Matcher b = Pattern.compile("blk\\.(\\d+)\\.(\\w+)\\.(weight|bias)").matcher(ggufName);
        if (b.matches()) {
            return IN_BLOCK.entrySet().stream().filter(e -> e.getValue().equals(b.group(2))).findFirst()
                    .map(e -> "model.layers." + b.group(1) + "." + e.getKey() + "." + b.group(3));
        }
        Matcher t = TOP.matcher(ggufName);
        if (t.matches()) {
            return OUTSIDE.entrySet().stream().filter(e -> e.getValue().equals(t.group(1))).findFirst()
                    .map(e -> e.getKey() + "." + t.group(2));
        }
        return Optional.empty();
    }

    /** Whether the GGUF tensor is a query or key projection, whose rows the Llama family permutes. */
    static boolean isQueryOrKey(String ggufName) {
        return ggufName.matches("blk\\.\\d+\\.attn_[qk]\\.(weight|bias)");
    }

    /** Whether it is a key projection (permuted with the key/value head count). */
    static boolean isKey(String ggufName) {
        return ggufName.matches("blk\\.\\d+\\.attn_k\\.(weight|bias)");
    }

    /** Whether it is a norm weight ({@code attn_norm}, {@code ffn_norm}, {@code output_norm}). */
    static boolean isNorm(String ggufName) {
        return ggufName.endsWith("_norm.weight");
    }
}
