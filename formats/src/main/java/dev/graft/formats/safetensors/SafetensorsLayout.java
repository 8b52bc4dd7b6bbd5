package dev.graft.formats.safetensors;

import dev.graft.formats.json.JsonStrings;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each tensor goes in a file we write, and the header bytes that say so, computed from specs alone before any
 * data exists, exactly as the reference writer ({@code safetensors::tensor::prepare/serialize}) lays files out:
 * tensors sorted by dtype descending then by name bytes ascending, offsets contiguous from 0, compact JSON with
 * {@code __metadata__} first and each entry's keys in the order dtype, shape, data_offsets, the header padded
 * with spaces to a multiple of 8.
 */
public final class SafetensorsLayout {
    private static final int ALIGNMENT = 8;

    /** The reference order: dtype descending (enum order), then name as UTF-8 bytes ascending. */
    public static final Comparator<TensorSpec> REFERENCE_ORDER = Comparator
            .comparing(TensorSpec::dtype, Comparator.reverseOrder())
            .thenComparing(TensorSpec::name, SafetensorsLayout::compareUtf8);

    private final List<TensorInfo> tensors;
    private final byte[] prefixAndHeader;
    private final long dataLength;

    private SafetensorsLayout(List<TensorInfo> tensors, byte[] prefixAndHeader, long dataLength) {
        this.tensors = List.copyOf(tensors);
        this.prefixAndHeader = prefixAndHeader;
        this.dataLength = dataLength;
    }

    /**
     * Plans a file.
     *
     * @param file     the file being written, for error messages
     * @param specs    the tensors, in any order
     * @param metadata the {@code __metadata__} map in the order to write it, or null for none
     * @throws SafetensorsException for a duplicate or reserved name, an overflowing size or a header over the limit
     */
    public static SafetensorsLayout plan(Path file, Collection<TensorSpec> specs, Map<String, String> metadata) {
        List<TensorSpec> sorted = new ArrayList<>(specs);
        Set<String> names = new HashSet<>();
        for (TensorSpec s : sorted) {
            if (SafetensorsHeader.METADATA_KEY.equals(s.name())) {
                throw new SafetensorsException(file, SafetensorsError.INVALID_TENSOR_NAME, s.name(),
                        "the name is reserved for the metadata map");
            }
            if (!names.add(s.name())) {
                throw new SafetensorsException(file, SafetensorsError.DUPLICATE_KEY, s.name(), "given twice");
            }
        }
        sorted.sort(REFERENCE_ORDER);
        List<TensorInfo> placed = new ArrayList<>(sorted.size());
        long offset = 0;
        for (TensorSpec s : sorted) {
            long size;
            try {
                size = s.byteSize();
                placed.add(new TensorInfo(s, offset, Math.addExact(offset, size)));
                offset += size;
            } catch (ArithmeticException e) {
                throw new SafetensorsException(file, SafetensorsError.VALIDATION_OVERFLOW, s.name(), e.getMessage());
            }
        }
        byte[] json = headerJson(placed, metadata).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        if (padded > SafetensorsHeader.MAX_HEADER_SIZE) {
            throw new SafetensorsException(file, SafetensorsError.HEADER_TOO_LARGE,
                    "the header would take " + padded + " bytes; split the tensors over several files");
        }
        byte[] out = new byte[8 + padded];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).put(json);
        Arrays.fill(out, 8 + json.length, out.length, (byte) ' ');
        return new SafetensorsLayout(placed, out, offset);
    }

    /** Tensors in file order with their offsets. */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** The 8-byte length prefix followed by the padded header. */
    public byte[] prefixAndHeader() {
        return prefixAndHeader.clone();
    }

    /** Bytes before the data buffer (8 + N). */
    public long dataStart() {
        return prefixAndHeader.length;
    }

    /** Size of the data buffer. */
    public long dataLength() {
        return dataLength;
    }

    /** Size of the whole file. */
    public long fileSize() {
        return prefixAndHeader.length + dataLength;
    }

    private static String headerJson(List<TensorInfo> tensors, Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder(64 + tensors.size() * 96);
        sb.append('{');
        boolean first = true;
        if (metadata != null) {
            appendString(sb, SafetensorsHeader.METADATA_KEY);
            sb.append(":{");
            boolean firstEntry = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!firstEntry) {
                    sb.append(',');
                }
                firstEntry = false;
                appendString(sb, e.getKey());
                sb.append(':');
                appendString(sb, e.getValue());
            }
            sb.append('}');
            first = false;
        }
        for (TensorInfo t : tensors) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            appendString(sb, t.name());
            sb.append(":{\"dtype\":");
            appendString(sb, t.dtype().safetensorsName());
            sb.append(",\"shape\":[");
            for (int i = 0; i < t.shape().rank(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(t.shape().dim(i));
            }
            sb.append("],\"data_offsets\":[").append(t.begin()).append(',').append(t.end()).append("]}");
        }
        return sb.append('}').toString();
    }

    private static void appendString(StringBuilder sb, String s) {
        JsonStrings.append(sb, s, JsonStrings.Style.SERDE);
    }

    /** Rust's String order: unsigned UTF-8 bytes (differs from Java's UTF-16 order for some characters). */
    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
