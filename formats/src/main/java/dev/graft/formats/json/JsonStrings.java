package dev.graft.formats.json;

/**
 * JSON string literals as the two serialisers whose files Graft reproduces write them: serde_json (safetensors
 * headers) and Python's {@code json} (configs, indexes). Both escape quote, backslash and control characters the
 * same way, with lowercase hex; they differ only in what else they escape.
 */
public final class JsonStrings {
    private JsonStrings() {
    }

    /** Which characters outside the mandatory ones are escaped. */
    public enum Style {
        /** serde_json, and Python's {@code json} with {@code ensure_ascii=False}: nothing more; non-ASCII stays raw. */
        SERDE,
        /** Python {@code json.dumps(ensure_ascii=True)}: everything outside space…tilde, DEL included. */
        PYTHON_ASCII
    }

    /** Appends {@code s} as a quoted JSON string. */
    /**
     * {@code s} as a serde_json string literal, quotes included: how messages show names read from a file, so that
     * spaces, quotes and control characters stay visible and a message stays on one line.
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        append(sb, s, Style.SERDE);
        return sb.toString();
    }

    public static void append(StringBuilder sb, String s, Style style) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || (style == Style.PYTHON_ASCII && c > 0x7E)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
