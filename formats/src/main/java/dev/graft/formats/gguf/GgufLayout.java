package dev.graft.formats.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A GGUF v3 file planned before any data is written: the header bytes (metadata, then the tensor-info table) and
 * every tensor's offset, each tensor's data padded to the alignment as ggml's and gguf-py's writers pad it, so
 * tensors can be written in any order.
 *
 * @param header    the header bytes, padded to the alignment (the data section starts right after)
 * @param tensors   the tensor infos with their offsets, in file order
 * @param alignment the data alignment
 */
public record GgufLayout(byte[] header, List<GgufTensorInfo> tensors, int alignment) {
    /** The version Graft writes. */
    public static final int VERSION = 3;
    /** ggml's {@code GGML_MAX_NAME}: llama.cpp refuses tensor names of this many bytes or more. */
    public static final int MAX_NAME_BYTES = 64;

    /** What a tensor will be: its name, stored type and row-major shape. */
    public record Entry(String name, GgufTensorType type, dev.graft.formats.tensor.Shape shape) {
    }

    public GgufLayout {
        header = header.clone();
        tensors = List.copyOf(tensors);
    }

    @Override
    public byte[] header() {
        return header.clone();
    }

    /** Where the data section starts. */
    public long dataStart() {
        return header.length;
    }

    /** The whole file's size. */
    public long fileSize() {
        if (tensors.isEmpty()) {
            return header.length;
        }
        GgufTensorInfo last = tensors.getLast();
        return header.length + alignUp(last.offset() + last.byteSize(), alignment);
    }

    /** {@code n} rounded up to a multiple of {@code alignment} (a power of two). */
    static long alignUp(long n, int alignment) {
        return (n + alignment - 1) & -(long) alignment;
    }

    /**
     * Plans a file.
     *
     * @param target   the file, for messages
     * @param metadata every entry in the order to write; {@code general.alignment}, when present, sets the alignment
     * @param entries  the tensors, in file order
     * @throws GgufException for a tensor name that is repeated, empty or too long for llama.cpp, a type Graft does
     *                       not write, rows that are not whole blocks, or an invalid alignment
     */
    public static GgufLayout plan(Path target, Map<String, GgufValue> metadata, Collection<Entry> entries) {
        int alignment = GgufHeader.DEFAULT_ALIGNMENT;
        GgufValue a = metadata.get(GgufHeader.ALIGNMENT_KEY);
        if (a != null) {
            if (a.type() != GgufValueType.UINT32 || Long.bitCount(a.asLong()) != 1) {
                throw new GgufException(target, GgufError.INVALID_METADATA, GgufHeader.ALIGNMENT_KEY
                        + " must be a UINT32 power of two, not " + a.type() + " " + a.display());
            }
            alignment = (int) a.asLong();
        }
        List<GgufTensorInfo> infos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (Entry e : entries) {
            checkEntry(target, e, names);
            GgufTensorInfo info = GgufTensorInfo.of(e.name(), e.type(), e.shape(), offset);
            if (info.rowLength() % e.type().blockElements() != 0) {
                throw new GgufException(target, GgufError.INVALID_SHAPE, e.name(), "rows of " + info.rowLength()
                        + " elements are not whole " + e.type() + " blocks of " + e.type().blockElements());
            }
            infos.add(info);
            offset = alignUp(offset + info.byteSize(), alignment);
        }
        Sink out = new Sink();
        out.u32(GgufHeader.MAGIC);
        out.u32(VERSION);
        out.u64(infos.size());
        out.u64(metadata.size());
        for (Map.Entry<String, GgufValue> kv : new LinkedHashMap<>(metadata).entrySet()) {
            out.string(kv.getKey());
            out.u32(kv.getValue().type().id());
            out.value(kv.getValue());
        }
        for (GgufTensorInfo t : infos) {
            out.string(t.name());
            out.u32(t.dims().length);
            for (long d : t.dims()) {
                out.u64(d);
            }
            out.u32(t.type().id());
            out.u64(t.offset());
        }
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return new GgufLayout(out.toByteArray(), infos, alignment);
    }

    private static void checkEntry(Path target, Entry e, Set<String> names) {
        int bytes = e.name().getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes >= MAX_NAME_BYTES) {
            throw new GgufException(target, GgufError.INVALID_SHAPE, e.name(), "a tensor name takes 1 to "
                    + (MAX_NAME_BYTES - 1) + " bytes in llama.cpp; this one takes " + bytes);
        }
        if (!names.add(e.name())) {
            throw new GgufException(target, GgufError.DUPLICATE_TENSOR, e.name(), "the name is planned twice");
        }
        if (!e.type().isConvertible()) {
            throw new GgufException(target, GgufError.UNSUPPORTED_TENSOR_TYPE, e.name(), "Graft writes F32, F16, "
                    + "BF16, Q8_0, Q4_0, Q4_K and Q6_K, not " + e.type());
        }
        if (e.shape().rank() > GgufTensorInfo.MAX_DIMS) {
            throw new GgufException(target, GgufError.INVALID_SHAPE, e.name(), e.shape().rank()
                    + " dimensions; ggml tensors have at most " + GgufTensorInfo.MAX_DIMS);
        }
    }

    /** Little-endian header bytes. */
    private static final class Sink extends ByteArrayOutputStream {
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u32(long v) {
            write(scratch.clear().putInt(0, (int) v).array(), 0, 4);
        }

        void u64(long v) {
            write(scratch.clear().putLong(0, v).array(), 0, 8);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            writeBytes(b);
        }

        void value(GgufValue v) {
            if (v.type() == GgufValueType.ARRAY) {
                u32(v.elementType().id());
                u64(v.asList().size());
                for (Object o : v.asList()) {
                    scalar(v.elementType(), o);
                }
            } else {
                scalar(v.type(), v.value());
            }
        }

        private void scalar(GgufValueType type, Object o) {
            switch (type) {
                case UINT8, INT8 -> write((int) (long) (Long) o);
                case UINT16, INT16 -> {
                    long s = (Long) o;
                    write((int) s);
                    write((int) (s >> 8));
                }
                case UINT32, INT32 -> u32((Long) o);
                case UINT64, INT64 -> u64((Long) o);
                case FLOAT32 -> u32(Float.floatToRawIntBits((Float) o));
                case FLOAT64 -> u64(Double.doubleToRawLongBits((Double) o));
                case BOOL -> write((Boolean) o ? 1 : 0);
                case STRING -> string((String) o);
                case ARRAY -> throw new IllegalArgumentException("arrays of arrays are not written");
            }
        }
    }
}
