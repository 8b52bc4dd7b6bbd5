package dev.graft.core.vocab;

import java.util.Objects;

/**
 * One entry of a recipe's {@code tokenizer.tokens}: the default row of a token, used by every model that lacks the
 * token, and by every model when {@code force} is set.
 *
 * @param source where the row comes from
 * @param force  use it even for the models that have the token
 */
public record TokenSetting(TokenSource source, boolean force) {
    public TokenSetting {
        Objects.requireNonNull(source, "source");
    }
}
