package dev.graft.formats.tokenizer;

import java.util.Arrays;
import java.util.Optional;

/** The tokenization model of a {@code tokenizer.json} ({@code model.type}), as the tokenizers library names it. */
public enum TokenizerModelType {
    /** Byte-pair encoding: a vocabulary object plus ranked merges (GPT-2, Llama 3, Qwen, Mistral …). */
    BPE("BPE"),
    /** BERT's greedy longest-match with a continuing-subword prefix ({@code ##}). */
    WORD_PIECE("WordPiece"),
    /** SentencePiece's unigram model: a list of [piece, score] pairs whose position is the id (T5, XLM-R …). */
    UNIGRAM("Unigram"),
    /** Whole words looked up in a vocabulary object. */
    WORD_LEVEL("WordLevel");

    private final String jsonName;

    TokenizerModelType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The spelling in {@code model.type}. */
    public String jsonName() {
        return jsonName;
    }

    /** The type whose {@code model.type} spelling this is (case-sensitive, as serde matches it). */
    public static Optional<TokenizerModelType> parse(String jsonName) {
        return Arrays.stream(values()).filter(t -> t.jsonName.equals(jsonName)).findFirst();
    }
}
