package dev.graft.formats.delta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a compressed delta holds, as stored in its safetensors {@code __metadata__} (every value a string, as
 * safetensors requires):
 * <pre>
 *   graft.delta.format      "1"                         the layout version ({@link #VERSION})
 *   graft.delta.method      "bitdelta"                  the compression method
 *   graft.delta.parameters  {"key": "value", ...}       the method's parameters, as JSON
 *   graft.delta.tensors     {"name": {...}, ...}        one {@link DeltaEntry} per fine-tuned tensor, as JSON
 * </pre>
 * Each entry is {@code {"dtype", "shape", "encoding", "parts", "attributes", "base_crc32c", "stored_bytes", "norm",
 * "error"}}; see docs/compression.md for every encoding's parts.
 *
 * @param version    layout version
 * @param method     method name ({@code bitdelta}, {@code deltacome}, {@code compeft}, {@code dare}, {@code lowrank})
 * @param parameters the method's parameters
 * @param entries    one per fine-tuned tensor, sorted by name
 */
public record DeltaManifest(int version, String method, Map<String, String> parameters, List<DeltaEntry> entries) {
    /** The layout version this code writes and the newest it reads. */
    public static final int VERSION = 1;
    public static final String KEY_FORMAT = "graft.delta.format";
    public static final String KEY_METHOD = "graft.delta.method";
    public static final String KEY_PARAMETERS = "graft.delta.parameters";
    public static final String KEY_TENSORS = "graft.delta.tensors";
    /** Separates a tensor's name from its part's in the stored tensor names. */
    public static final String PART_SEPARATOR = "::";

    private static final ObjectMapper JSON = new ObjectMapper();

    public DeltaManifest {
        parameters = java.util.Collections.unmodifiableMap(new TreeMap<>(parameters));
        entries = List.copyOf(entries);
    }

    /** The stored name of a tensor's part. */
    public static String partName(String tensor, String part) {
        return tensor + PART_SEPARATOR + part;
    }

    /** Whether a file's metadata marks it as a compressed delta. */
    public static boolean isDelta(Map<String, String> metadata) {
        return metadata.containsKey(KEY_FORMAT);
    }

    /** Bytes of the fine-tuned model's tensors (what decompression writes). */
    public long tunedBytes() {
        return entries.stream().mapToLong(e -> e.spec().byteSize()).sum();
    }

    /** Bytes of the delta stored uncompressed in bf16: two per element. */
    public long bf16DeltaBytes() {
        return entries.stream().mapToLong(e -> 2 * e.spec().elementCount()).sum();
    }

    /** Bytes of tensor data in the file. */
    public long storedBytes() {
        return entries.stream().mapToLong(DeltaEntry::storedBytes).sum();
    }

    /** How many times smaller a file of {@code fileBytes} is than this delta stored in bf16 (2 bytes a parameter). */
    public double ratioVsBf16Delta(long fileBytes) {
        return (double) bf16DeltaBytes() / fileBytes;
    }

    /** How many times smaller a file of {@code fileBytes} is than the fine-tuned model's tensors. */
    public double ratioVsModel(long fileBytes) {
        return (double) tunedBytes() / fileBytes;
    }

    /** Bits per fine-tuned parameter in a file of {@code fileBytes}, header included. */
    public double bitsPerParameter(long fileBytes) {
        long params = bf16DeltaBytes() / 2;
        return params == 0 ? 0 : 8.0 * fileBytes / params;
    }

    /** ‖Δ − Δ̂‖ / ‖Δ‖ over all compressed tensors together (0 when nothing was compressed). */
    public double overallError() {
        double err = 0;
        double norm = 0;
        for (DeltaEntry e : entries) {
            err += e.error() * e.norm() * e.error() * e.norm();
            norm += e.norm() * e.norm();
        }
        return norm == 0 ? 0 : Math.sqrt(err / norm);
    }

    /** The {@code __metadata__} map of the file. */
    public Map<String, String> toMetadata() {
        ObjectNode tensors = JSON.createObjectNode();
        for (DeltaEntry e : entries) {
            ObjectNode o = tensors.putObject(e.name());
            o.put("dtype", e.spec().dtype().safetensorsName());
            ArrayNode shape = o.putArray("shape");
            for (long d : e.spec().shape().dims()) {
                shape.add(d);
            }
            o.put("encoding", e.encoding());
            ArrayNode parts = o.putArray("parts");
            e.parts().forEach(parts::add);
            ObjectNode attrs = o.putObject("attributes");
            new TreeMap<>(e.attributes()).forEach(attrs::put);
            if (e.baseChecksum() != null) {
                o.put("base_crc32c", e.baseChecksum());
            }
            o.put("stored_bytes", e.storedBytes());
            o.put("norm", e.norm());
            o.put("error", e.error());
        }
        ObjectNode params = JSON.createObjectNode();
        parameters.forEach(params::put);
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY_FORMAT, Integer.toString(version));
        m.put(KEY_METHOD, method);
        m.put(KEY_PARAMETERS, params.toString());
        m.put(KEY_TENSORS, tensors.toString());
        return m;
    }

    /**
     * Reads the manifest from a file's metadata.
     *
     * @throws DeltaFormatException when the metadata is not a Graft delta's, is of a newer version, or is malformed
     */
    public static DeltaManifest read(Path file, Map<String, String> metadata) {
        String format = metadata.get(KEY_FORMAT);
        if (format == null) {
            throw new DeltaFormatException(file, "not a Graft compressed delta (no " + KEY_FORMAT
                    + " in the safetensors metadata); make one with 'graft compress'");
        }
        int version;
        try {
            version = Integer.parseInt(format);
        } catch (NumberFormatException e) {
            throw new DeltaFormatException(file, KEY_FORMAT + " is \"" + format + "\", not a version number");
        }
        if (version < 1 || version > VERSION) {
            throw new DeltaFormatException(file, "delta format version " + version + " is not supported (this Graft "
                    + "reads versions 1 to " + VERSION + "; upgrade Graft)");
        }
        String method = require(file, metadata, KEY_METHOD);
        Map<String, String> params = new TreeMap<>();
        JsonNode p = parseObject(file, KEY_PARAMETERS, require(file, metadata, KEY_PARAMETERS));
        p.properties().forEach(en -> params.put(en.getKey(), en.getValue().asText()));
        JsonNode ts = parseObject(file, KEY_TENSORS, require(file, metadata, KEY_TENSORS));
        List<DeltaEntry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ts.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> en = it.next();
            entries.add(entry(file, en.getKey(), en.getValue()));
        }
        entries.sort(java.util.Comparator.comparing(DeltaEntry::name));
        return new DeltaManifest(version, method, params, entries);
    }

    private static DeltaEntry entry(Path file, String name, JsonNode o) {
        try {
            String dtypeName = text(o, "dtype");
            DType dtype = DType.fromSafetensorsName(dtypeName).orElseThrow(() ->
                    new IllegalArgumentException("unknown dtype " + dtypeName));
            JsonNode shapeNode = field(o, "shape");
            long[] dims = new long[shapeNode.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = shapeNode.get(i).asLong(-1);
                if (dims[i] < 0) {
                    throw new IllegalArgumentException("negative or non-numeric dimension in shape");
                }
            }
            List<String> parts = new ArrayList<>();
            field(o, "parts").forEach(n -> parts.add(n.asText()));
            Map<String, String> attrs = new TreeMap<>();
            JsonNode a = o.get("attributes");
            if (a != null) {
                a.properties().forEach(en -> attrs.put(en.getKey(), en.getValue().asText()));
            }
            JsonNode crc = o.get("base_crc32c");
            return new DeltaEntry(new TensorSpec(name, dtype, Shape.of(dims)), text(o, "encoding"), attrs, parts,
                    crc == null ? null : crc.asText(), field(o, "stored_bytes").asLong(),
                    field(o, "norm").asDouble(), field(o, "error").asDouble());
        } catch (RuntimeException e) {
            throw new DeltaFormatException(file, "tensor \"" + name + "\" in " + KEY_TENSORS + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode field(JsonNode o, String key) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        return n;
    }

    private static String text(JsonNode o, String key) {
        return field(o, key).asText();
    }

    private static String require(Path file, Map<String, String> metadata, String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new DeltaFormatException(file, "damaged delta: metadata has no " + key);
        }
        return v;
    }

    private static JsonNode parseObject(Path file, String key, String text) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.isObject()) {
                throw new DeltaFormatException(file, "damaged delta: " + key + " is not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new DeltaFormatException(file, "damaged delta: " + key + " is not valid JSON ("
                    + e.getOriginalMessage() + ")");
        }
    }
}
