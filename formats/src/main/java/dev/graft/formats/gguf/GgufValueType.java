package dev.graft.formats.gguf;

import java.util.Optional;

/**
 * The metadata value types of GGUF ({@code gguf_type} in ggml's {@code gguf.h}, {@code GGUFValueType} in
 * gguf-py), with the ids the file stores.
 */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    /** One byte, 0 or 1. */
    BOOL(7, 1),
    /** A u64 byte length, then that many UTF-8 bytes (no terminator). */
    STRING(8, 8),
    /** A u32 element type, a u64 count, then the elements. */
    ARRAY(9, 12),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int id;
    private final int minBytes;

    GgufValueType(int id, int minBytes) {
        this.id = id;
        this.minBytes = minBytes;
    }

    /** The id the file stores. */
    public int id() {
        return id;
    }

    /**
     * The fewest bytes one value of this type takes (its size for the fixed-size types), which bounds how many a
     * file of a given size can hold.
     */
    int minBytes() {
        return minBytes;
    }

    /** True for the integer types, signed or not. */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** The type a stored id names; empty for an id the format does not define. */
    public static Optional<GgufValueType> of(int id) {
        for (GgufValueType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
