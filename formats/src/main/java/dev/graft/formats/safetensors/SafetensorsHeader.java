package dev.graft.formats.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 * A parsed and validated safetensors header.
 *
 * <p>Validation runs once, here, in the reference crate's order ({@code SafeTensors::read_metadata} and
 * {@code Metadata::validate}), so every later access to the data is in bounds. Stricter than the crate where the
 * crate is silently lenient: duplicate keys are rejected rather than last-one-wins.
 */
public final class SafetensorsHeader {
    /** The reference reader's limit on the JSON header, in bytes ({@code MAX_HEADER_SIZE}; exactly this is allowed). */
    public static final long MAX_HEADER_SIZE = 100_000_000L;
    /** Reserved header key for the free-form string map. */
    public static final String METADATA_KEY = "__metadata__";

    private static final JsonFactory JSON = JsonFactory.builder()
            // Names and metadata values can be long; the header is capped at 100 MB anyway.
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength((int) MAX_HEADER_SIZE)
                    .maxNameLength((int) MAX_HEADER_SIZE)
                    .build())
            .build();

    private final Map<String, String> metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;
    private final long dataLength;

    private SafetensorsHeader(Map<String, String> metadata, List<TensorInfo> tensors, long dataLength) {
        this.metadata = metadata;
        this.tensors = List.copyOf(tensors);
        Map<String, TensorInfo> map = new LinkedHashMap<>();
        for (TensorInfo t : tensors) {
            map.put(t.name(), t);
        }
        this.byName = Collections.unmodifiableMap(map);
        this.dataLength = dataLength;
    }

    /**
     * Parses and validates a header.
     *
     * @param file       the file, for error messages
     * @param headerJson the N header bytes (JSON, possibly padded with whitespace)
     * @param dataLength bytes after the header (file size − 8 − N)
     * @throws SafetensorsException on any malformation
     */
    public static SafetensorsHeader parse(Path file, byte[] headerJson, long dataLength) {
        String text = decodeUtf8(file, headerJson);
        ParsedEntries parsed;
        try (JsonParser p = JSON.createParser(text)) {
            parsed = readEntries(file, p);
        } catch (SafetensorsException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SafetensorsException(file, SafetensorsError.INVALID_JSON, firstLine(e.getMessage()));
        }
        List<TensorInfo> ordered = validate(file, parsed.tensors, dataLength);
        return new SafetensorsHeader(parsed.metadata, ordered, dataLength);
    }

    /** The {@code __metadata__} map, empty when the header has none (absent or {@code null}). */
    public Map<String, String> metadata() {
        return metadata == null ? Map.of() : metadata;
    }

    /** True when the header carries a {@code __metadata__} entry (even an empty one). */
    public boolean hasMetadata() {
        return metadata != null;
    }

    /** Tensors in data order (ascending offsets). */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    public Optional<TensorInfo> tensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Size of the data buffer the header describes. */
    public long dataLength() {
        return dataLength;
    }

    private record ParsedEntries(Map<String, String> metadata, List<TensorInfo> tensors) {
    }

    private static String decodeUtf8(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            CharBuffer out = decoder.decode(in);
            return out.toString();
        } catch (CharacterCodingException e) {
            // decode() leaves the position at the start of the offending sequence.
            throw new SafetensorsException(file, SafetensorsError.INVALID_UTF8,
                    "malformed byte sequence at header byte " + in.position());
        }
    }

    private static ParsedEntries readEntries(Path file, JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw invalidJson(file, "the header must be a JSON object");
        }
        Map<String, String> metadata = null;
        List<TensorInfo> tensors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (!seen.add(key)) {
                throw new SafetensorsException(file, SafetensorsError.DUPLICATE_KEY,
                        METADATA_KEY.equals(key) ? null : key, "\"" + key + "\" appears more than once in the header");
            }
            JsonToken value = p.nextToken();
            if (METADATA_KEY.equals(key)) {
                metadata = readMetadata(file, p, value);
            } else {
                tensors.add(readTensor(file, p, key, value));
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw invalidJson(file, "unexpected " + t + " in the header object");
        }
        JsonToken after = p.nextToken();
        if (after != null) {
            throw invalidJson(file, "trailing content after the header object");
        }
        return new ParsedEntries(metadata, tensors);
    }

    private static Map<String, String> readMetadata(Path file, JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw invalidJson(file, METADATA_KEY + " must be an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw invalidJson(file, METADATA_KEY + " value for \"" + k + "\" is not a string");
            }
            if (map.putIfAbsent(k, p.getText()) != null) {
                throw new SafetensorsException(file, SafetensorsError.DUPLICATE_KEY,
                        METADATA_KEY + " key \"" + k + "\" appears more than once");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private static TensorInfo readTensor(Path file, JsonParser p, String name, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw invalidTensor(file, name, "entry is not an object");
        }
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        Set<String> fields = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            if (!fields.add(field)) {
                throw new SafetensorsException(file, SafetensorsError.DUPLICATE_KEY, name,
                        "field \"" + field + "\" appears more than once");
            }
            JsonToken v = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        throw invalidTensor(file, name, "dtype is not a string");
                    }
                    dtypeName = p.getText();
                }
                case "shape" -> shape = readNaturals(file, p, name, v, "shape", SafetensorsError.VALIDATION_OVERFLOW);
                case "data_offsets" -> offsets = readNaturals(file, p, name, v, "data_offsets", SafetensorsError.INVALID_OFFSET);
                // The reference reader ignores unknown fields (serde without deny_unknown_fields).
                default -> p.skipChildren();
            }
        }
        if (dtypeName == null || shape == null || offsets == null) {
            throw invalidTensor(file, name, "entry needs dtype, shape and data_offsets");
        }
        if (offsets.length != 2) {
            throw invalidTensor(file, name, "data_offsets must hold exactly 2 numbers, not " + offsets.length);
        }
        String dt = dtypeName;
        DType dtype = DType.fromSafetensorsName(dt).orElseThrow(() -> new SafetensorsException(file,
                SafetensorsError.UNKNOWN_DTYPE, name, "\"" + dt + "\" is not a safetensors dtype"));
        Shape s;
        try {
            s = Shape.of(shape);
        } catch (ArithmeticException e) {
            throw new SafetensorsException(file, SafetensorsError.VALIDATION_OVERFLOW, name,
                    "shape " + java.util.Arrays.toString(shape) + " has more than 2^63 elements");
        }
        return new TensorInfo(new TensorSpec(name, dtype, s), offsets[0], offsets[1]);
    }

    /** Reads an array of non-negative integers; a value beyond 2^63−1 raises {@code tooLarge}. */
    private static long[] readNaturals(Path file, JsonParser p, String name, JsonToken v, String field,
                                       SafetensorsError tooLarge) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            throw invalidTensor(file, name, field + " is not an array");
        }
        long[] out = new long[4];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw invalidTensor(file, name, field + " must hold non-negative integers");
            }
            BigInteger big = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : null;
            long value = big == null ? p.getLongValue() : -1;
            if ((big != null && big.signum() < 0) || (big == null && value < 0)) {
                throw invalidTensor(file, name, field + " must hold non-negative integers");
            }
            if (big != null) {
                throw new SafetensorsException(file, tooLarge, name, field + " value " + big + " is too large");
            }
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, n * 2);
            }
            out[n++] = value;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static List<TensorInfo> validate(Path file, List<TensorInfo> entries, long dataLength) {
        List<TensorInfo> sorted = new ArrayList<>(entries);
        // Stable sort, as the reference does: empty tensors may share an offset with their neighbour.
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        long start = 0;
        for (TensorInfo t : sorted) {
            if (t.begin() != start || t.end() < t.begin()) {
                throw new SafetensorsException(file, SafetensorsError.INVALID_OFFSET, t.name(),
                        describeOffsetProblem(t, start));
            }
            long bytes;
            try {
                long bits = Math.multiplyExact(t.shape().elementCount(), (long) t.dtype().bits());
                if (bits % 8 != 0) {
                    throw new SafetensorsException(file, SafetensorsError.MISALIGNED_SLICE, t.name(),
                            t.shape().elementCount() + " elements of " + t.dtype() + " make " + bits + " bits");
                }
                bytes = bits / 8;
            } catch (ArithmeticException e) {
                throw new SafetensorsException(file, SafetensorsError.VALIDATION_OVERFLOW, t.name(),
                        "shape " + t.shape() + " of " + t.dtype());
            }
            if (t.end() - t.begin() != bytes) {
                throw new SafetensorsException(file, SafetensorsError.TENSOR_INVALID_INFO, t.name(),
                        "data_offsets [" + t.begin() + ", " + t.end() + "] span " + (t.end() - t.begin())
                                + " bytes but " + t.dtype() + " " + t.shape() + " needs " + bytes);
            }
            if (t.end() > dataLength) {
                throw new SafetensorsException(file, SafetensorsError.INVALID_OFFSET, t.name(),
                        "data_offsets [" + t.begin() + ", " + t.end() + "] run past the end of the "
                                + dataLength + "-byte data buffer (truncated file?)");
            }
            start = t.end();
        }
        if (start != dataLength) {
            throw new SafetensorsException(file, SafetensorsError.METADATA_INCOMPLETE_BUFFER,
                    "tensors cover " + start + " bytes of the " + dataLength + "-byte data buffer");
        }
        return sorted;
    }

    private static String describeOffsetProblem(TensorInfo t, long expected) {
        String range = "data_offsets [" + t.begin() + ", " + t.end() + "]";
        if (t.end() < t.begin()) {
            return range + " end before they begin";
        }
        if (expected == 0) {
            return range + " but the first tensor must start at 0";
        }
        if (t.begin() > expected) {
            return range + " leave a hole after byte " + expected;
        }
        return range + " overlap the previous tensor, which ends at " + expected;
    }

    private static SafetensorsException invalidJson(Path file, String detail) {
        return new SafetensorsException(file, SafetensorsError.INVALID_JSON, detail);
    }

    private static SafetensorsException invalidTensor(Path file, String name, String detail) {
        return new SafetensorsException(file, SafetensorsError.INVALID_JSON, name, detail);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
