package dev.graft.core.vocab;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where one output token's default embedding row comes from, as {@code tokenizer.tokens.TOKEN.source} gives it
 * (mergekit's {@code TokenEmbeddingConfig.source}). Models are indices into the request's models.
 */
public sealed interface TokenSource {
    /** The token's own row in that model (mergekit: {@code source: MODEL}). */
    record OwnRow(int model) implements TokenSource {
    }

    /**
     * Another row of that model, by its id there or by a token it has ({@code kind: model_token}); exactly one of
     * the two is given.
     */
    record ModelToken(int model, OptionalInt tokenId, Optional<String> token) implements TokenSource {
        public ModelToken {
            if (tokenId.isPresent() == token.isPresent()) {
                throw new IllegalArgumentException("model_token takes exactly one of token_id and token");
            }
        }
    }

    /** A row of zeros ({@code kind: zero}). */
    record Zero() implements TokenSource {
    }
}
