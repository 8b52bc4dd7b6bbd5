package dev.graft.formats.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;

/**
 * Serialises JSON exactly as Python's {@code json.dumps(obj, indent=N, sort_keys=…)} does, so the files we write
 * ({@code config.json}, {@code adapter_config.json}, shard indexes) match those transformers, PEFT and mergekit
 * write, byte for byte: {@code ", "}/{@code ": "} separators, one element per line, {@code []}/{@code {}} for empty
 * containers, non-ASCII escaped ({@code ensure_ascii}), and floats in Python's {@code repr} ({@code 1e-05},
 * {@code 10000.0}).
 */
public final class PythonJson {
    private PythonJson() {
    }

    /**
     * @param node     the value to write
     * @param indent   spaces per level
     * @param sortKeys sort object keys (Python sorts by code point, as Java's String order does for BMP keys)
     */
    public static String dumps(JsonNode node, int indent, boolean sortKeys) {
        return dumps(node, indent, sortKeys, true);
    }

    /**
     * As {@code json.dumps(obj, indent=N, sort_keys=…, ensure_ascii=…)}: transformers writes
     * {@code tokenizer_config.json} and {@code special_tokens_map.json} with {@code ensure_ascii=False}, which leaves
     * non-ASCII characters as they are and escapes only quote, backslash and control characters.
     */
    public static String dumps(JsonNode node, int indent, boolean sortKeys, boolean ensureAscii) {
        JsonStrings.Style strings = ensureAscii ? JsonStrings.Style.PYTHON_ASCII : JsonStrings.Style.SERDE;
        return new JsonLayout(indent, sortKeys, ", ", ": ", strings, PythonJson::floatRepr).write(node);
    }

    /**
     * Whether every object in the tree has its keys in the order {@code sort_keys=True} writes them, i.e. whether
     * writing it with sorting reproduces its order (a file transformers wrote is sorted throughout).
     */
    public static boolean isSorted(JsonNode node) {
        if (node.isObject()) {
            String previous = null;
            for (var e : node.properties()) {
                if (previous != null && JsonLayout.compareCodePoints(previous, e.getKey()) > 0) {
                    return false;
                }
                previous = e.getKey();
                if (!isSorted(e.getValue())) {
                    return false;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                if (!isSorted(element)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Python's {@code repr(float)}: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        // Double.toString gives the shortest round-trip digits (JDK 19+), as Python's repr does.
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale();
        String sign = d < 0 ? "-" : "";
        if (exp >= -4 && exp < 16) {
            String plain = bd.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }
}
