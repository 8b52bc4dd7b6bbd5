package dev.graft.formats.tokenizer;

/** The tokenizer files a Hugging Face model folder may hold. */
public enum TokenizerFile {
    /** The tokenizers library's single file: model, vocabulary, merges, added tokens, pipeline. */
    TOKENIZER_JSON(TokenizerJsonDocument.FILE_NAME),
    /** transformers' tokenizer settings: special tokens, chat template, {@code added_tokens_decoder}. */
    TOKENIZER_CONFIG(TokenizerConfig.FILE_NAME),
    /** The special tokens again, as older transformers saved them beside the config. */
    SPECIAL_TOKENS_MAP(SpecialTokens.FILE_NAME),
    /** A slow BPE tokenizer's vocabulary (token → id). */
    VOCAB_JSON("vocab.json"),
    /** A slow BPE tokenizer's merges, one {@code "a b"} a line. */
    MERGES_TXT("merges.txt"),
    /** A slow tokenizer's added tokens (token → id). */
    ADDED_TOKENS_JSON("added_tokens.json"),
    /** A SentencePiece model (protobuf), which Graft does not read. */
    SENTENCEPIECE_MODEL("tokenizer.model"),
    /** The default chat template as its own file, as newer transformers versions save it. */
    CHAT_TEMPLATE_JINJA("chat_template.jinja"),
    /** A folder of named chat templates, {@code NAME.jinja} each. */
    ADDITIONAL_CHAT_TEMPLATES("additional_chat_templates");

    private final String fileName;

    TokenizerFile(String fileName) {
        this.fileName = fileName;
    }

    /** The name in the model folder. */
    public String fileName() {
        return fileName;
    }
}
