package dev.graft.core.recipe;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One entry of a recipe's {@code tokenizer.tokens} (mergekit's {@code TokenEmbeddingConfig}): where the token's
 * default embedding row comes from, and whether it replaces the models' own rows.
 *
 * <pre>{@code
 * tokens:
 *   <|im_start|>: {source: ./chat}                       # the token's row in ./chat
 *   <|im_end|>: {source: ./chat, force: true}            # … for every model, even those that have the token
 *   <|eot|>: {source: {kind: model_token, model: ./chat, token: "<|im_end|>"}}
 *   <|pad|>: {source: {kind: zero}}
 * }</pre>
 *
 * @param kind    which of the three sources
 * @param model   the model of {@link Kind#MODEL} and {@link Kind#MODEL_TOKEN}
 * @param tokenId {@code token_id} of a {@link Kind#MODEL_TOKEN}
 * @param token   {@code token} of a {@link Kind#MODEL_TOKEN}
 * @param force   {@code force}
 */
public record TokenEmbedding(Kind kind, Optional<ModelRef> model, OptionalInt tokenId, Optional<String> token,
                             boolean force) {
    /** The forms of {@code source}. */
    public enum Kind {
        /** A model: the token's own row there. */
        MODEL,
        /** {@code kind: model_token}: a row of a model by id or token. */
        MODEL_TOKEN,
        /** {@code kind: zero}. */
        ZERO
    }
}
