package dev.graft.formats.tokenizer;

import java.util.OptionalInt;

/**
 * A model folder's vocabulary sizes side by side: {@code config.json}'s {@code vocab_size} (the embedding rows) and
 * the tokenizer's. They often differ: rows are padded to a multiple of 64 or 128 ({@code vocab_size} larger), or
 * tokens were added without resizing the embeddings ({@code vocab_size} smaller, the case mergekit trims).
 *
 * @param configVocabSize {@code config.json}'s {@code vocab_size}; empty without a config or the field
 * @param tokenizerSize   every id the tokenizer uses, added tokens included ({@code len(tokenizer)})
 * @param modelVocabSize  the tokenizer model's own vocabulary, without the added tokens beyond it
 */
public record VocabSizes(OptionalInt configVocabSize, int tokenizerSize, int modelVocabSize) {
    /** Whether every token id has an embedding row: no config size, or one at least the tokenizer's. */
    public boolean fitsConfig() {
        return configVocabSize.isEmpty() || tokenizerSize <= configVocabSize.getAsInt();
    }
}
