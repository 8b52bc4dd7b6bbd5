package dev.graft.formats.tokenizer;

/** Which tokenizer a model folder holds, by the files Graft can read its tokens from. */
public enum TokenizerKind {
    /** A {@code tokenizer.json}: readable (preferred over any other file, as transformers' fast tokenizers do). */
    TOKENIZER_JSON,
    /** {@code vocab.json} and {@code merges.txt} without a {@code tokenizer.json}: readable. */
    VOCAB_AND_MERGES,
    /**
     * Only a SentencePiece {@code tokenizer.model}: its vocabulary is a protobuf Graft does not read, so the folder
     * can keep its tokenizer but not take part in a vocabulary union.
     */
    SENTENCEPIECE_ONLY,
    /** No tokenizer file Graft knows. */
    NONE
}
