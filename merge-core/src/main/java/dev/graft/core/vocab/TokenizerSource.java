package dev.graft.core.vocab;

/**
 * Where a merge's output vocabulary comes from (mergekit's {@code tokenizer_source} / {@code tokenizer.source}).
 *
 * @param kind  base, union, or one model's
 * @param model for {@link Kind#MODEL}: index into the request's models; else -1
 */
public record TokenizerSource(Kind kind, int model) {
    /** The three kinds mergekit knows. */
    public enum Kind {
        /** The base model's tokenizer, trimmed to its {@code vocab_size}. */
        BASE,
        /** The base model's tokenizer with every other model's tokens appended. */
        UNION,
        /** One input model's tokenizer as it is. */
        MODEL
    }

    public static final TokenizerSource BASE = new TokenizerSource(Kind.BASE, -1);
    public static final TokenizerSource UNION = new TokenizerSource(Kind.UNION, -1);

    public TokenizerSource {
        if ((kind == Kind.MODEL) != (model >= 0)) {
            throw new IllegalArgumentException("a model index goes with Kind.MODEL only, got " + kind + " " + model);
        }
    }

    /** The tokenizer of the request's model {@code index}. */
    public static TokenizerSource model(int index) {
        return new TokenizerSource(Kind.MODEL, index);
    }
}
