package dev.graft.formats.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Serialises JSON as Rust's serde_json does, the writer of every {@code tokenizer.json} (the tokenizers library
 * saves with {@code to_string_pretty} unless asked for one line): two-space indent and {@code ": "} when pretty,
 * no spaces at all when compact, non-ASCII left raw, and floats the way serde_json prints them ({@code -0.5},
 * {@code 1e-7}, {@code 100.0}, {@code 1e+16}; checked against tokenizers 0.23.2). Keys keep the node's order: serde
 * writes struct fields in declaration order, which a parsed tree reproduces.
 */
public final class SerdeJson {
    private static final JsonLayout PRETTY = new JsonLayout(2, false, ",", ": ", JsonStrings.Style.SERDE,
            SerdeJson::floatRepr);
    private static final JsonLayout COMPACT = new JsonLayout(-1, false, ",", ":", JsonStrings.Style.SERDE,
            SerdeJson::floatRepr);

    private SerdeJson() {
    }

    /** As {@code serde_json::to_string_pretty}. */
    public static String pretty(JsonNode node) {
        return PRETTY.write(node);
    }

    /** As {@code serde_json::to_string}. */
    public static String compact(JsonNode node) {
        return COMPACT.write(node);
    }

    /**
     * A finite double as serde_json prints it: shortest round-trip digits; plain notation while the decimal
     * exponent lies in [-5, 16), with {@code .0} after integers; otherwise {@code d.ddde-x} / {@code d.ddde+x}
     * without padding (older serde_json, through the ryu crate, wrote no plus sign). Non-finite values are
     * {@code null}, as serde_json writes them.
     */
    public static String floatRepr(double d) {
        if (!Double.isFinite(d)) {
            return "null";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = shortest(Math.abs(d));
        String digits = bd.unscaledValue().abs().toString();
        int length = digits.length();
        int k = -bd.scale();          // value = digits × 10^k
        int kk = length + k;          // 10^(kk-1) <= |value| < 10^kk
        StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
        if (k >= 0 && kk <= 16) {
            sb.append(digits).append("0".repeat(k)).append(".0");
        } else if (kk > 0 && kk <= 16) {
            sb.append(digits, 0, kk).append('.').append(digits, kk, length);
        } else if (kk > -5 && kk <= 0) {
            sb.append("0.").append("0".repeat(-kk)).append(digits);
        } else {
            sb.append(digits.charAt(0));
            if (length > 1) {
                sb.append('.').append(digits, 1, length);
            }
            sb.append(kk - 1 < 0 ? "e" : "e+").append(kk - 1);
        }
        return sb.toString();
    }

    /**
     * The shortest decimal that reads back as {@code d} (positive, finite). Double.toString (JDK 19+) gives it,
     * except that it never uses a single digit where two are closer ({@code 4.9E-324} for {@code 5e-324}).
     */
    private static BigDecimal shortest(double d) {
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        if (bd.precision() == 2) {
            BigDecimal exact = new BigDecimal(d);
            BigDecimal best = null;
            for (RoundingMode mode : new RoundingMode[]{RoundingMode.DOWN, RoundingMode.UP}) {
                BigDecimal one = bd.round(new MathContext(1, mode));
                if (one.doubleValue() == d && (best == null
                        || one.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                    best = one;
                }
            }
            if (best != null) {
                return best.stripTrailingZeros();
            }
        }
        return bd;
    }
}
