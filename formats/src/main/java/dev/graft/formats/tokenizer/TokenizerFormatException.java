package dev.graft.formats.tokenizer;

import dev.graft.formats.FormatException;

import java.nio.file.Path;

/**
 * A tokenizer file that cannot be read as its format requires, or whose ids disagree with how the tokenizers
 * library and transformers would load it; the message names the file and the token or key involved.
 */
public final class TokenizerFormatException extends FormatException {
    public TokenizerFormatException(Path file, String message) {
        super(file, message);
    }

    public TokenizerFormatException(Path file, String message, Throwable cause) {
        super(file, message, cause);
    }
}
