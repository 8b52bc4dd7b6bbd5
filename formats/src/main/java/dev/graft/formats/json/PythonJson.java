package dev.graft.formats.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        StringBuilder sb = new StringBuilder();
        write(sb, node, indent, sortKeys, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, JsonNode n, int indent, boolean sort, int level) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isObject()) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(n.properties());
            if (entries.isEmpty()) {
                sb.append("{}");
                return;
            }
            if (sort) {
                entries.sort(Map.Entry.comparingByKey(PythonJson::compareCodePoints));
            }
            sb.append('{');
            for (int i = 0; i < entries.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                newline(sb, indent, level + 1);
                writeString(sb, entries.get(i).getKey());
                sb.append(": ");
                write(sb, entries.get(i).getValue(), indent, sort, level + 1);
            }
            newline(sb, indent, level);
            sb.append('}');
        } else if (n.isArray()) {
            if (n.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                newline(sb, indent, level + 1);
                write(sb, n.get(i), indent, sort, level + 1);
            }
            newline(sb, indent, level);
            sb.append(']');
        } else if (n.isTextual()) {
            writeString(sb, n.textValue());
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue() ? "true" : "false");
        } else if (n.isIntegralNumber()) {
            sb.append(n.bigIntegerValue());
        } else if (n.isNumber()) {
            sb.append(floatRepr(n.doubleValue()));
        } else {
            writeString(sb, n.asText());
        }
    }

    private static void newline(StringBuilder sb, int indent, int level) {
        sb.append('\n');
        sb.append(" ".repeat(indent * level));
    }

    private static int compareCodePoints(String a, String b) {
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

    private static void writeString(StringBuilder sb, String s) {
        JsonStrings.append(sb, s, JsonStrings.Style.PYTHON_ASCII);
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
