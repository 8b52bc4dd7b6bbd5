package dev.graft.formats.model;

import dev.graft.formats.tensor.TensorSpec;

import java.util.List;

/**
 * The tensors whose rows are indexed by token id: input embeddings and output heads, by the names the common
 * architectures give them (mergekit's architecture files mark the same ones {@code is_embed}). A vocabulary change
 * permutes and extends their rows; every other tensor is untouched by it.
 *
 * <p>Matched on whole dotted segments at the end of the name, so prefixed checkpoints
 * ({@code base_model.model.lm_head.weight}, {@code model.language_model.embed_tokens.weight}) match too. Vision
 * towers' {@code patch_embed} and {@code pos_embed}, which mergekit also marks, are not indexed by token and are left
 * out.
 */
public final class EmbeddingTensors {
    /**
     * Name endings: Llama/Mistral/Qwen ({@code embed_tokens}, {@code lm_head}), GPT-2 ({@code wte}), GPT-NeoX
     * ({@code embed_in}, {@code embed_out}), BERT/Bloom ({@code word_embeddings}), InternLM ({@code tok_embeddings},
     * {@code output}), ChatGLM ({@code output_layer}), T5 ({@code shared}), Mamba ({@code backbone.embeddings}),
     * DistilBERT ({@code vocab_projector}), RoBERTa/BERT heads ({@code lm_head.decoder}).
     */
    public static final List<String> SUFFIXES = List.of("embed_tokens.weight", "lm_head.weight", "wte.weight",
            "embed_in.weight", "embed_out.weight", "word_embeddings.weight", "tok_embeddings.weight",
            "output_layer.weight", "lm_head.decoder.weight", "lm_head.linear.weight", "vocab_projector.weight",
            "backbone.embeddings.weight");
    /** Names that count only as a whole name (as a suffix they would catch {@code attention.output.weight}). */
    private static final List<String> WHOLE = List.of("output.weight", "shared.weight");

    private EmbeddingTensors() {
    }

    /** Whether a tensor of this name has one row per token id. */
    public static boolean isEmbedding(String name) {
        if (WHOLE.contains(name)) {
            return true;
        }
        for (String s : SUFFIXES) {
            if (name.equals(s) || name.endsWith("." + s)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a tensor is a 2-D matrix named as {@link #isEmbedding} says. */
    public static boolean isEmbedding(TensorSpec spec) {
        return spec.shape().rank() == 2 && isEmbedding(spec.name());
    }
}
