package dev.graft.formats.gguf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A metadata array as the file stores it: its bytes copied once, elements decoded when asked. A header may hold
 * arrays of millions of elements (a vocabulary, its scores); keeping them as bytes costs no more memory than the
 * file itself, where boxing every element would cost many times more.
 */
final class StoredArray extends AbstractList<Object> implements RandomAccess {
    private final GgufValueType elementType;
    private final byte[] bytes;
    /** Never written and never handed out, so a plain (writable) view is safe. */
    private final ByteBuffer data;
    /** For strings, where element i's UTF-8 bytes start; the element after the last starts at {@code data}'s end. */
    private final int[] starts;
    private final int size;

    private StoredArray(GgufValueType elementType, byte[] data, int[] starts, int size) {
        this.elementType = elementType;
        this.bytes = data;
        this.data = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.starts = starts;
        this.size = size;
    }

    /** An array of a fixed-size element type over {@code count × size} bytes. */
    static StoredArray fixed(GgufValueType elementType, byte[] data, int count) {
        return new StoredArray(elementType, data, null, count);
    }

    /** An array of strings whose UTF-8 bytes were laid end to end, string i starting at {@code starts[i]}. */
    static StoredArray strings(byte[] data, int[] starts) {
        return new StoredArray(GgufValueType.STRING, data, starts, starts.length);
    }

    @Override
    public Object get(int i) {
        java.util.Objects.checkIndex(i, size);
        return switch (elementType) {
            case UINT8 -> (long) (data.get(i) & 0xff);
            case INT8 -> (long) data.get(i);
            case UINT16 -> (long) (data.getShort(i * 2) & 0xffff);
            case INT16 -> (long) data.getShort(i * 2);
            case UINT32 -> data.getInt(i * 4) & 0xFFFF_FFFFL;
            case INT32 -> (long) data.getInt(i * 4);
            case UINT64, INT64 -> data.getLong(i * 8);
            case FLOAT32 -> data.getFloat(i * 4);
            case FLOAT64 -> data.getDouble(i * 8);
            case BOOL -> data.get(i) != 0;
            case STRING -> {
                int end = i + 1 < size ? starts[i + 1] : bytes.length;
                yield new String(bytes, starts[i], end - starts[i], StandardCharsets.UTF_8);
            }
            case ARRAY -> throw new IllegalStateException("arrays of arrays are not stored");
        };
    }

    @Override
    public int size() {
        return size;
    }
}
