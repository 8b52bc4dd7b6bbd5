package dev.graft.formats.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * The layout Python's {@code json.dumps} and serde_json share: one element per line under an indent (or none at all),
 * {@code []}/{@code {}} for empty containers, the key separator after each key. The serialisers differ only in how
 * they spell strings and floats and in their separators, which the caller supplies.
 */
final class JsonLayout {
    private final int indent;
    private final boolean sortKeys;
    private final String itemSeparator;
    private final String keySeparator;
    private final JsonStrings.Style strings;
    private final DoubleFunction<String> floats;

    /**
     * @param indent        spaces per level; negative for everything on one line
     * @param itemSeparator written between elements on one line ({@code ","} is written before each newline)
     */
    JsonLayout(int indent, boolean sortKeys, String itemSeparator, String keySeparator, JsonStrings.Style strings,
               DoubleFunction<String> floats) {
        this.indent = indent;
        this.sortKeys = sortKeys;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.strings = strings;
        this.floats = floats;
    }

    String write(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, 0);
        return sb.toString();
    }

    private void write(StringBuilder sb, JsonNode n, int level) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isObject()) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(n.properties());
            if (entries.isEmpty()) {
                sb.append("{}");
                return;
            }
            if (sortKeys) {
                entries.sort(Map.Entry.comparingByKey(JsonLayout::compareCodePoints));
            }
            sb.append('{');
            for (int i = 0; i < entries.size(); i++) {
                separate(sb, i, level + 1);
                JsonStrings.append(sb, entries.get(i).getKey(), strings);
                sb.append(keySeparator);
                write(sb, entries.get(i).getValue(), level + 1);
            }
            newline(sb, level);
            sb.append('}');
        } else if (n.isArray()) {
            if (n.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                separate(sb, i, level + 1);
                write(sb, n.get(i), level + 1);
            }
            newline(sb, level);
            sb.append(']');
        } else if (n.isTextual()) {
            JsonStrings.append(sb, n.textValue(), strings);
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue() ? "true" : "false");
        } else if (n.isIntegralNumber()) {
            sb.append(n.bigIntegerValue());
        } else if (n.isNumber()) {
            sb.append(floats.apply(n.doubleValue()));
        } else {
            JsonStrings.append(sb, n.asText(), strings);
        }
    }

    private void separate(StringBuilder sb, int index, int level) {
        if (indent < 0) {
            sb.append(index == 0 ? "" : itemSeparator);
        } else {
            sb.append(index == 0 ? "" : ",");
            newline(sb, level);
        }
    }

    private void newline(StringBuilder sb, int level) {
        if (indent >= 0) {
            sb.append('\n');
            sb.append(" ".repeat(indent * level));
        }
    }

    /** Python sorts keys by code point; Java's String order differs only for keys outside the BMP. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
