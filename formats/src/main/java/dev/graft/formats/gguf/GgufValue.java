package dev.graft.formats.gguf;

import java.util.List;
import java.util.Objects;

/**
 * One metadata value with its stored type. Integers of every width are held as {@code Long} (the unsigned types
 * by value, {@link GgufValueType#UINT64} by its 64 bits), {@code FLOAT32} as {@code Float}, {@code FLOAT64} as
 * {@code Double}, {@code BOOL} as {@code Boolean}, strings as {@code String}, and an array as a {@code List} of its
 * elements held the same way.
 *
 * @param type        the stored type
 * @param elementType an array's element type; null for a scalar
 * @param value       the value, as above
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {
    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if ((type == GgufValueType.ARRAY) != (elementType != null)) {
            throw new IllegalArgumentException("an element type goes with arrays, and only with arrays");
        }
        if (elementType == GgufValueType.ARRAY) {
            throw new IllegalArgumentException("arrays of arrays are not supported");
        }
        if (type == GgufValueType.ARRAY && !(value instanceof StoredArray)) {
            value = List.copyOf((List<?>) value);
        }
    }

    public static GgufValue u32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(v + " does not fit a u32");
        }
        return new GgufValue(GgufValueType.UINT32, null, v);
    }

    public static GgufValue i32(int v) {
        return new GgufValue(GgufValueType.INT32, null, (long) v);
    }

    public static GgufValue u64(long v) {
        return new GgufValue(GgufValueType.UINT64, null, v);
    }

    public static GgufValue f32(float v) {
        return new GgufValue(GgufValueType.FLOAT32, null, v);
    }

    public static GgufValue bool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, null, v);
    }

    public static GgufValue string(String v) {
        return new GgufValue(GgufValueType.STRING, null, v);
    }

    /** An array of strings ({@code tokenizer.ggml.tokens}). */
    public static GgufValue strings(List<String> v) {
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.STRING, v);
    }

    /** An array of i32 ({@code tokenizer.ggml.token_type}). */
    public static GgufValue i32s(int[] v) {
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.INT32,
                java.util.Arrays.stream(v).mapToObj(i -> (long) i).toList());
    }

    /** An array of f32 ({@code tokenizer.ggml.scores}). */
    public static GgufValue f32s(float[] v) {
        Float[] boxed = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            boxed[i] = v[i];
        }
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT32, List.of(boxed));
    }

    /** The value of an integer type. */
    public long asLong() {
        if (!type.isInteger()) {
            throw new IllegalStateException("a " + type + " value is not an integer");
        }
        return (Long) value;
    }

    /** The value of a string. */
    public String asString() {
        if (type != GgufValueType.STRING) {
            throw new IllegalStateException("a " + type + " value is not a string");
        }
        return (String) value;
    }

    /** The elements of an array. */
    public List<?> asList() {
        if (type != GgufValueType.ARRAY) {
            throw new IllegalStateException("a " + type + " value is not an array");
        }
        return (List<?>) value;
    }

    /**
     * The value as text: numbers and booleans as Java prints them (a {@code UINT64} unsigned), strings as they are,
     * an array as its element type and length ({@code [STRING × 151936]}).
     */
    public String display() {
        return switch (type) {
            case ARRAY -> "[" + elementType + " × " + asList().size() + "]";
            case UINT64 -> Long.toUnsignedString((Long) value);
            default -> value.toString();
        };
    }
}
