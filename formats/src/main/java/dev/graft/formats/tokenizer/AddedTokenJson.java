package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * An AddedToken object in transformers' files ({@code added_tokens_decoder} values, special tokens): {@code content}
 * and the flags, each optional with the defaults of Python's {@code tokenizers.AddedToken} (no stripping, not
 * special, normalized unless special).
 */
final class AddedTokenJson {
    private AddedTokenJson() {
    }

    static AddedToken of(JsonNode v, Path file, String where) {
        if (!v.isObject() || !v.path("content").isTextual()) {
            throw new TokenizerFormatException(file, where + " is not an AddedToken object with a \"content\"");
        }
        boolean special = flag(v, "special", false, file, where);
        return new AddedToken(v.get("content").textValue(),
                flag(v, "single_word", false, file, where),
                flag(v, "lstrip", false, file, where),
                flag(v, "rstrip", false, file, where),
                flag(v, "normalized", !special, file, where),
                special);
    }

    private static boolean flag(JsonNode v, String name, boolean absent, Path file, String where) {
        JsonNode f = v.get(name);
        if (f == null || f.isNull()) {
            return absent;
        }
        if (!f.isBoolean()) {
            throw new TokenizerFormatException(file, where + " \"" + name + "\" is not true or false");
        }
        return f.booleanValue();
    }
}
