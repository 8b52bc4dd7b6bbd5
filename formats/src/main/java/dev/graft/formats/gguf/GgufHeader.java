package dev.graft.formats.gguf;

import dev.graft.formats.json.JsonStrings;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A GGUF file's header, parsed and validated: version, metadata in file order, tensor infos in file order, the
 * alignment and where the data section starts.
 *
 * <p>Layout (little-endian; ggml's {@code gguf.cpp}, gguf-py's {@code gguf_reader.py}): the magic {@code GGUF}, a
 * u32 version (2 or 3), a u64 tensor count, a u64 metadata count, the metadata entries (a string key, a u32 value
 * type, the value), the tensor infos (a string name, a u32 dimension count, that many u64 dimensions, a u32 type,
 * a u64 offset), padding to the alignment, then the data. Strings are a u64 byte length and UTF-8 bytes.
 *
 * @param version    2 or 3
 * @param metadata   every entry, in file order
 * @param tensors    every tensor info, in file order
 * @param alignment  {@code general.alignment}, or 32
 * @param dataStart  the data section's byte offset in the file
 */
public record GgufHeader(int version, Map<String, GgufValue> metadata, List<GgufTensorInfo> tensors, int alignment,
                         long dataStart) {
    /** The magic, as the u32 a little-endian read of {@code "GGUF"} gives. */
    static final int MAGIC = 0x4655_4747;
    /** The alignment when {@code general.alignment} is absent ({@code GGUF_DEFAULT_ALIGNMENT}). */
    public static final int DEFAULT_ALIGNMENT = 32;
    /** The key of a file's alignment. */
    public static final String ALIGNMENT_KEY = "general.alignment";
    /** The fewest bytes a tensor info takes: an empty name, one dimension, a type, an offset. */
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;
    /** The fewest bytes a metadata entry takes: an empty key, a type, a one-byte value. */
    private static final int MIN_ENTRY_BYTES = 8 + 4 + 1;

    public GgufHeader {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** The entry of a key, if the file has it. */
    public Optional<GgufValue> get(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    /** The info of a tensor, if the file has it. */
    public Optional<GgufTensorInfo> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * Parses and validates the header of a file mapped whole.
     *
     * @throws GgufException for anything malformed, naming what and where
     */
    static GgufHeader parse(Path file, MemorySegment bytes) {
        HeaderCursor in = new HeaderCursor(file, bytes);
        if (bytes.byteSize() < 4 || in.u32("the magic") != MAGIC) {
            throw new GgufException(file, GgufError.NOT_GGUF, "it does not start with the bytes GGUF");
        }
        int version = in.u32("the version");
        if (version != 2 && version != 3) {
            String hint = Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3
                    ? " (a big-endian file; Graft reads little-endian GGUF only)" : version == 1
                    ? " (version 1 is the 2023 draft; convert the file with a current llama.cpp)" : "";
            throw new GgufException(file, GgufError.UNSUPPORTED_VERSION, "version " + Integer.toUnsignedString(version)
                    + "; Graft reads versions 2 and 3" + hint);
        }
        long tensorCount = in.u64("the tensor count");
        long kvCount = in.u64("the metadata count");
        in.requireRoomFor(kvCount, MIN_ENTRY_BYTES, "metadata entries");
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key " + i);
            int typeId = in.u32("the type of " + JsonStrings.quote(key));
            GgufValue value = readValue(file, in, key, typeId);
            if (metadata.putIfAbsent(key, value) != null) {
                throw new GgufException(file, GgufError.DUPLICATE_KEY, JsonStrings.quote(key) + " appears twice");
            }
        }
        in.requireRoomFor(tensorCount, MIN_TENSOR_INFO_BYTES, "tensor infos");
        List<GgufTensorInfo> tensors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            GgufTensorInfo t = readTensorInfo(file, in, i);
            if (!names.add(t.name())) {
                throw new GgufException(file, GgufError.DUPLICATE_TENSOR, t.name(), "the name appears twice");
            }
            tensors.add(t);
        }
        int alignment = alignment(file, metadata);
        long dataStart = GgufLayout.alignUp(in.position(), alignment);
        checkData(file, tensors, alignment, dataStart, bytes.byteSize());
        return new GgufHeader(version, metadata, tensors, alignment, dataStart);
    }

    private static GgufValue readValue(Path file, HeaderCursor in, String key, int typeId) {
        GgufValueType type = GgufValueType.of(typeId).orElseThrow(() -> new GgufException(file,
                GgufError.UNKNOWN_VALUE_TYPE, JsonStrings.quote(key) + " has type id " + Integer.toUnsignedString(typeId)
                + "; GGUF defines 0 to 12"));
        if (type != GgufValueType.ARRAY) {
            return new GgufValue(type, null, readScalar(in, type, key));
        }
        int elementId = in.u32("the element type of " + JsonStrings.quote(key));
        GgufValueType element = GgufValueType.of(elementId).orElseThrow(() -> new GgufException(file,
                GgufError.UNKNOWN_VALUE_TYPE, "array " + JsonStrings.quote(key) + " has element type id "
                + Integer.toUnsignedString(elementId) + "; GGUF defines 0 to 12"));
        if (element == GgufValueType.ARRAY) {
            throw new GgufException(file, GgufError.UNKNOWN_VALUE_TYPE, JsonStrings.quote(key)
                    + " is an array of arrays, which ggml does not read either");
        }
        long count = in.u64("the length of " + JsonStrings.quote(key));
        in.requireRoomFor(count, element.minBytes(), "elements of " + JsonStrings.quote(key));
        if (count > Integer.MAX_VALUE - 8) {
            throw new GgufException(file, GgufError.INVALID_METADATA, JsonStrings.quote(key) + " has " + count
                    + " elements, more than Graft reads into one array");
        }
        int n = (int) count;
        if (element == GgufValueType.STRING) {
            return new GgufValue(type, element, readStrings(file, in, key, n));
        }
        byte[] data = in.copy(Math.toIntExact((long) n * element.minBytes()), JsonStrings.quote(key));
        return new GgufValue(type, element, StoredArray.fixed(element, data, n));
    }

    private static StoredArray readStrings(Path file, HeaderCursor in, String key, int n) {
        int[] starts = new int[n];
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        String what = "an element of " + JsonStrings.quote(key);
        for (int i = 0; i < n; i++) {
            starts[i] = all.size();
            byte[] utf8 = in.string(what).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (all.size() > Integer.MAX_VALUE - 8 - utf8.length) {
                throw new GgufException(file, GgufError.INVALID_METADATA, "the strings of " + JsonStrings.quote(key)
                        + " take more bytes than Graft reads into one array");
            }
            all.writeBytes(utf8);
        }
        return StoredArray.strings(all.toByteArray(), starts);
    }

    private static Object readScalar(HeaderCursor in, GgufValueType type, String key) {
        String what = "the value of " + JsonStrings.quote(key);
        return switch (type) {
            case UINT8 -> (long) in.u8(what);
            case INT8 -> (long) (byte) in.u8(what);
            case UINT16 -> (long) in.u16(what);
            case INT16 -> (long) (short) in.u16(what);
            case UINT32 -> in.u32(what) & 0xFFFF_FFFFL;
            case INT32 -> (long) in.u32(what);
            case UINT64, INT64 -> in.u64(what);
            case FLOAT32 -> Float.intBitsToFloat(in.u32(what));
            case FLOAT64 -> Double.longBitsToDouble(in.u64(what));
            case BOOL -> in.u8(what) != 0;
            case STRING -> in.string(what);
            case ARRAY -> throw new IllegalArgumentException("arrays are read by readValue");
        };
    }

    private static GgufTensorInfo readTensorInfo(Path file, HeaderCursor in, long index) {
        String name = in.string("the name of tensor " + index);
        int nDims = in.u32("the dimension count of " + JsonStrings.quote(name));
        if (nDims < 1 || nDims > GgufTensorInfo.MAX_DIMS) {
            throw new GgufException(file, GgufError.INVALID_SHAPE, name, Integer.toUnsignedString(nDims)
                    + " dimensions; ggml tensors have 1 to " + GgufTensorInfo.MAX_DIMS);
        }
        long[] dims = new long[nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            dims[d] = in.u64("dimension " + d + " of " + JsonStrings.quote(name));
            if (dims[d] < 0) {
                throw new GgufException(file, GgufError.INVALID_SHAPE, name, "dimension " + d + " is "
                        + Long.toUnsignedString(dims[d]));
            }
            try {
                elements = Math.multiplyExact(elements, dims[d]);
            } catch (ArithmeticException e) {
                throw new GgufException(file, GgufError.INVALID_SHAPE, name, "the element count overflows 64 bits");
            }
        }
        int typeId = in.u32("the type of " + JsonStrings.quote(name));
        GgufTensorType type = GgufTensorType.of(typeId).orElseThrow(() -> new GgufException(file,
                GgufError.UNKNOWN_TENSOR_TYPE, name, "type id " + Integer.toUnsignedString(typeId)
                + " is not a ggml type Graft knows"));
        if (dims[0] % type.blockElements() != 0) {
            throw new GgufException(file, GgufError.INVALID_SHAPE, name, "rows of " + dims[0] + " elements are not "
                    + "whole " + type + " blocks of " + type.blockElements());
        }
        long offset = in.u64("the offset of " + JsonStrings.quote(name));
        return new GgufTensorInfo(name, type, dims, offset);
    }

    private static int alignment(Path file, Map<String, GgufValue> metadata) {
        GgufValue v = metadata.get(ALIGNMENT_KEY);
        if (v == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (v.type() != GgufValueType.UINT32) {
            throw new GgufException(file, GgufError.INVALID_METADATA, ALIGNMENT_KEY + " is a " + v.type()
                    + "; GGUF requires a UINT32");
        }
        long a = v.asLong();
        if (a == 0 || Long.bitCount(a) != 1 || a > (1 << 30)) {
            throw new GgufException(file, GgufError.INVALID_METADATA, ALIGNMENT_KEY + " is " + a
                    + "; it must be a power of two");
        }
        return (int) a;
    }

    /** Every tensor's data aligned, inside the file, and clear of every other tensor's. */
    private static void checkData(Path file, List<GgufTensorInfo> tensors, int alignment, long dataStart, long size) {
        if (dataStart > size && !tensors.isEmpty()) {
            throw new GgufException(file, GgufError.TRUNCATED, "the data section would start at byte " + dataStart
                    + ", past the end of the " + size + "-byte file");
        }
        long dataBytes = Math.max(0, size - dataStart);
        List<GgufTensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        long end = 0;
        GgufTensorInfo previous = null;
        for (GgufTensorInfo t : byOffset) {
            long bytes;
            try {
                bytes = t.byteSize();
            } catch (ArithmeticException e) {
                throw new GgufException(file, GgufError.INVALID_SHAPE, t.name(), "the byte size overflows 64 bits");
            }
            if (t.offset() < 0 || t.offset() % alignment != 0) {
                throw new GgufException(file, GgufError.INVALID_OFFSET, t.name(), "offset "
                        + Long.toUnsignedString(t.offset()) + " is not a multiple of the alignment " + alignment);
            }
            if (t.offset() < end) {
                throw new GgufException(file, GgufError.INVALID_OFFSET, t.name(), "its data at offset " + t.offset()
                        + " overlaps " + JsonStrings.quote(previous.name()) + ", which runs to " + end);
            }
            if (bytes > dataBytes - t.offset()) {
                throw new GgufException(file, GgufError.TRUNCATED, t.name(), "its " + bytes + " bytes at offset "
                        + t.offset() + " run past the end of the file (" + dataBytes + " bytes of data)");
            }
            end = t.offset() + bytes;
            previous = t;
        }
    }
}
