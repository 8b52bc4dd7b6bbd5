package dev.graft.algorithms.compress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A codec's parameters as a delta records them ({@link DeltaCodec#parameters()}): text in the codec's own order,
 * numbers in Java's canonical form, and read back by the codec when {@link DeltaCodecs#of} rebuilds it. Writing
 * and reading live here together so that every codec formats and parses its values alike.
 */
final class CodecParameters {
    private final Map<String, String> values = new LinkedHashMap<>();

    /** Records {@code value} as {@link Double#toString(double)} writes it. */
    CodecParameters put(String key, double value) {
        return put(key, Double.toString(value));
    }

    /** Records an integer ({@code int} values widen to this) as {@link Long#toString(long)} writes it. */
    CodecParameters put(String key, long value) {
        return put(key, Long.toString(value));
    }

    /** Records {@code value} as it is. */
    CodecParameters put(String key, String value) {
        values.put(key, value);
        return this;
    }

    /** The parameters in the order they were put. */
    Map<String, String> toMap() {
        return values;
    }

    /**
     * A recorded number.
     *
     * @throws IllegalArgumentException when {@code key} is missing or not a number
     */
    static double number(Map<String, String> p, String key) {
        String v = recorded(p, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter \"" + key + "\" is \"" + v + "\", not a number");
        }
    }

    /**
     * A recorded integer, read exactly: through a double, seeds above 2^53 would come back as other seeds.
     *
     * @throws IllegalArgumentException when {@code key} is missing or not an integer
     */
    static long integer(Map<String, String> p, String key) {
        String v = recorded(p, key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter \"" + key + "\" is \"" + v + "\", not an integer");
        }
    }

    /**
     * A recorded positive {@code int} (a rank, a group size).
     *
     * @throws IllegalArgumentException when {@code key} is missing, not an integer or outside [1, 2^31 − 1] (a
     *                                  damaged file; a cast would silently read another value)
     */
    static int positiveInt(Map<String, String> p, String key) {
        long v = integer(p, key);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parameter \"" + key + "\" is " + v + ", outside [1, "
                    + Integer.MAX_VALUE + "]");
        }
        return (int) v;
    }

    private static String recorded(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("parameter \"" + key + "\" is missing");
        }
        return v;
    }
}
