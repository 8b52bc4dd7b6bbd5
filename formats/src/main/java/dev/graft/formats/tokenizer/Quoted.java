package dev.graft.formats.tokenizer;

import dev.graft.formats.json.JsonStrings;

/** Tokens as messages show them: JSON string literals, so that spaces, quotes and control characters are visible. */
final class Quoted {
    private Quoted() {
    }

    static String of(String token) {
        return JsonStrings.quote(token);
    }
}
