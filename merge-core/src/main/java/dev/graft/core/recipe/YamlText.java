package dev.graft.core.recipe;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders a YAML node back as short flow-style YAML ({@code {a: 1}}, {@code [0, 0.5]}) for error messages, so that
 * the user sees what they wrote rather than Jackson's JSON.
 */
final class YamlText {
    /** Longer renderings are cut: an error line must stay readable. */
    private static final int MAX_LENGTH = 80;

    /** Strings that YAML would read back as the same string without quotes. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./+@-]*");

    private YamlText() {
    }

    static String of(JsonNode node) {
        StringBuilder out = new StringBuilder();
        append(node, out);
        return out.length() <= MAX_LENGTH ? out.toString() : out.substring(0, MAX_LENGTH - 1) + "…";
    }

    /** A string as YAML would need it written: bare when unambiguous, double-quoted otherwise. */
    static String string(String s) {
        boolean looksLikeOtherType = switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "false", "yes", "no", "on", "off", "null", "y", "n" -> true;
            default -> false;
        };
        if (PLAIN.matcher(s).matches() && !looksLikeOtherType) {
            return s;
        }
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    private static void append(JsonNode node, StringBuilder out) {
        if (out.length() > MAX_LENGTH) {
            return;
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                out.append(string(e.getKey())).append(": ");
                append(e.getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                append(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            out.append(string(node.textValue()));
        } else {
            out.append(node.asText());
        }
    }
}
