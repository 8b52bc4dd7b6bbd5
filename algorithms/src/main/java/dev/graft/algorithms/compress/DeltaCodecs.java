package dev.graft.algorithms.compress;

import java.util.List;
import java.util.Map;

/** The compression methods by name, and rebuilding a codec from the parameters a delta recorded. */
public final class DeltaCodecs {
    /** Every method name, in the order the CLI lists them. */
    public static final List<String> METHODS = List.of(BitDelta.METHOD, DeltaCoMe.METHOD, ComPeft.METHOD, Dare.METHOD,
            LowRank.METHOD);

    private DeltaCodecs() {
    }

    /**
     * The codec a delta was written with.
     *
     * @throws IllegalArgumentException for an unknown method or a parameter it cannot take
     */
    public static DeltaCodec of(String method, Map<String, String> p) {
        return switch (method) {
            case BitDelta.METHOD -> new BitDelta();
            case ComPeft.METHOD -> new ComPeft(number(p, "density"),
                    "auto".equals(p.get("alpha")) ? Double.NaN : number(p, "alpha"));
            case Dare.METHOD -> new Dare(number(p, "drop"), (long) number(p, "seed"));
            case LowRank.METHOD -> LowRank.fromParameters(p);
            case DeltaCoMe.METHOD -> DeltaCoMe.fromParameters(p);
            default -> throw new IllegalArgumentException("unknown compression method \"" + method + "\" (known: "
                    + String.join(", ", METHODS) + ")");
        };
    }

    static double number(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("parameter \"" + key + "\" is missing");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter \"" + key + "\" is \"" + v + "\", not a number");
        }
    }
}
