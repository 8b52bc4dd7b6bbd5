package dev.graft.formats.tokenizer;

import java.util.Objects;

/**
 * A token added on top of a model's vocabulary, with the flags the tokenizers library keeps for it (its
 * {@code AddedToken}); the id lives beside it, as in {@code tokenizer.json}'s {@code added_tokens} entries and
 * transformers' {@code added_tokens_decoder}.
 *
 * @param content    the text of the token
 * @param singleWord match only as a whole word
 * @param lstrip     swallow the whitespace on its left
 * @param rstrip     swallow the whitespace on its right
 * @param normalized match against the normalized input rather than the raw text
 * @param special    a special token (skipped when decoding with {@code skip_special_tokens})
 */
public record AddedToken(String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized,
                         boolean special) {
    public AddedToken {
        Objects.requireNonNull(content, "content");
    }

    /** As tokenizers' {@code AddedToken::from(content, special)}: no stripping, normalized unless special. */
    public static AddedToken of(String content, boolean special) {
        return new AddedToken(content, false, false, false, !special, special);
    }

    /** This token with {@code special} set, as transformers does for the tokens it adds as special tokens. */
    public AddedToken asSpecial() {
        return special ? this : new AddedToken(content, singleWord, lstrip, rstrip, normalized, true);
    }
}
