package dev.graft.formats.gguf.export;

import dev.graft.formats.dtype.Bf16;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A one-layer Hugging Face decoder folder (config.json, tokenizer files, model.safetensors in bf16) whose every
 * weight element is {@link #value}, so a test can tell where each row went.
 * Hidden size 32, 4 heads of 8, 2 key/value heads, intermediate 64, vocabulary 10 (+ 2 padding rows).
 */
final class TinyHfModel {
    static final int HIDDEN = 32;
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int FFN = 64;
    static final int VOCAB = 12;

    private TinyHfModel() {
    }

    /** The value at (row, col) of every 2-D weight: {@code row + col / 64} rounded to bf16 (rows stay apart). */
    static float value(long row, long col) {
        return Bf16.toFloat(Bf16.fromFloat(row + col / 64f));
    }

    static Path write(Path dir, String modelType, boolean byteFallback, boolean biases) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), """
                {"architectures": ["X"], "model_type": "%s", "hidden_size": 32, "intermediate_size": 64,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2,
                 "max_position_embeddings": 2048, "rms_norm_eps": 1e-06, "rope_theta": 500000.0,
                 "vocab_size": 12, "bos_token_id": 1, "eos_token_id": [2, 3], "torch_dtype": "bfloat16"}
                """.formatted(modelType));
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson(byteFallback));
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"add_bos_token": true, "add_eos_token": false, "bos_token": "<s>", "eos_token": "</s>",
                 "chat_template": "{{ messages }}"}
                """);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", Shape.of(VOCAB, HIDDEN));
        String l = "model.layers.0.";
        shapes.put(l + "input_layernorm.weight", Shape.of(HIDDEN));
        shapes.put(l + "self_attn.q_proj.weight", Shape.of(HIDDEN, HIDDEN));
        shapes.put(l + "self_attn.k_proj.weight", Shape.of(HIDDEN / HEADS * KV_HEADS, HIDDEN));
        shapes.put(l + "self_attn.v_proj.weight", Shape.of(HIDDEN / HEADS * KV_HEADS, HIDDEN));
        if (biases) {
            shapes.put(l + "self_attn.q_proj.bias", Shape.of(HIDDEN));
            shapes.put(l + "self_attn.k_proj.bias", Shape.of(HIDDEN / HEADS * KV_HEADS));
            shapes.put(l + "self_attn.v_proj.bias", Shape.of(HIDDEN / HEADS * KV_HEADS));
        }
        shapes.put(l + "self_attn.o_proj.weight", Shape.of(HIDDEN, HIDDEN));
        shapes.put(l + "self_attn.rotary_emb.inv_freq", Shape.of(4));
        shapes.put(l + "post_attention_layernorm.weight", Shape.of(HIDDEN));
        shapes.put(l + "mlp.gate_proj.weight", Shape.of(FFN, HIDDEN));
        shapes.put(l + "mlp.up_proj.weight", Shape.of(FFN, HIDDEN));
        shapes.put(l + "mlp.down_proj.weight", Shape.of(HIDDEN, FFN));
        shapes.put("model.norm.weight", Shape.of(HIDDEN));
        shapes.put("lm_head.weight", Shape.of(VOCAB, HIDDEN));
        List<TensorSpec> specs = new ArrayList<>();
        shapes.forEach((n, s) -> specs.add(new TensorSpec(n, DType.BF16, s)));
        Path file = dir.resolve("model.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(file, specs, SafetensorsWriter.PT_METADATA, false)) {
            for (TensorSpec s : specs) {
                w.writeFloats(s.name(), values(s.shape()));
            }
            w.commit();
        }
        return dir;
    }

    /** 2-D: {@link #value}; 1-D: {@code 0.5 + i / 8}. */
    static float[] values(Shape shape) {
        float[] v = new float[(int) shape.elementCount()];
        if (shape.rank() == 1) {
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.5f + i / 8f;
            }
            return v;
        }
        long cols = shape.dim(1);
        for (int i = 0; i < v.length; i++) {
            v[i] = value(i / cols, i % cols);
        }
        return v;
    }

    /**
     * Ten tokens: {@code <unk> <s> </s>}, then either the byte-fallback pieces {@code <0x00> <0x0A>} or byte-level
     * {@code ! "}, then {@code ▁ a b ▁a ▁ab} (Ġ for ▁ when byte-level); merges {@code ▁ a} (rank 0, makes 8) and
     * {@code ▁a b} (rank 1, makes 9); {@code <|im_end|>} added as 10 (special); id 11 exists only as an embedding
     * row.
     */
    private static String tokenizerJson(boolean byteFallback) {
        String sp = byteFallback ? "\u2581" : "\u0120";
        String b0 = byteFallback ? "<0x00>" : "!";
        String b1 = byteFallback ? "<0x0A>" : "\\\"";
        return """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [
                  {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                  {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                  {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                  {"id": 10, "content": "<|im_end|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
                 "normalizer": null, "pre_tokenizer": null, "post_processor": null, "decoder": null,
                 "model": {"type": "BPE", "dropout": null, "unk_token": "<unk>", "continuing_subword_prefix": null,
                  "end_of_word_suffix": null, "fuse_unk": %s, "byte_fallback": %s, "ignore_merges": false,
                  "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "%s": 3, "%s": 4, "%s": 5, "a": 6, "b": 7, "%sa": 8,
                   "%sab": 9},
                  "merges": ["%s a", "%sa b"]}}
                """.formatted(byteFallback, byteFallback, b0, b1, sp, sp, sp, sp, sp);
    }
}
