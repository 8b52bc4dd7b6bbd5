package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.gguf.GgufHeader;
import dev.graft.formats.gguf.GgufTensorInfo;
import dev.graft.formats.gguf.GgufTensorType;
import dev.graft.formats.gguf.GgufValue;
import dev.graft.formats.gguf.GgufValueType;
import dev.graft.formats.shard.ByteSize;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code graft inspect x.gguf}: a GGUF file as it is stored — version, alignment, every metadata entry (arrays by
 * type and length, their first elements), every tensor with its GGUF type, row-major shape, size and offset, and the
 * bytes in each type.
 */
final class GgufReport {
    /** Array elements shown after the type and length. */
    private static final int SHOWN_ELEMENTS = 4;
    /** Characters of a long string value shown. */
    private static final int SHOWN_CHARS = 80;

    private GgufReport() {
    }

    static void printText(Path path, GgufHeader h, boolean tensors, Pattern filter, PrintWriter out) {
        out.printf("%s: GGUF v%d, %d tensors, %d metadata entries, alignment %d%n", path, h.version(),
                h.tensors().size(), h.metadata().size(), h.alignment());
        out.println();
        out.println("Metadata:");
        Table meta = new Table("  ", Table.Align.LEFT, Table.Align.LEFT, Table.Align.LEFT);
        h.metadata().forEach((k, v) -> meta.row(k, typeName(v), shown(v)));
        meta.print(out);
        out.println();
        out.println("Size by type:");
        Table sizes = new Table("  ", Table.Align.LEFT, Table.Align.RIGHT, Table.Align.RIGHT);
        bytesByType(h).forEach((t, b) -> sizes.row(t.name(), ByteSize.format(b[0]), b[1] + " tensors"));
        sizes.print(out);
        if (tensors) {
            out.println();
            out.println("Tensors:");
            Table t = new Table("  ", Table.Align.LEFT, Table.Align.LEFT, Table.Align.LEFT, Table.Align.RIGHT,
                    Table.Align.RIGHT);
            for (GgufTensorInfo info : h.tensors()) {
                if (filter == null || filter.matcher(info.name()).find()) {
                    t.row(info.name(), info.type().name(), info.shape().toString(), ByteSize.format(info.byteSize()),
                            "@" + info.offset());
                }
            }
            t.print(out);
        }
        out.flush();
    }

    static ObjectNode json(Path path, GgufHeader h, boolean tensors, Pattern filter) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("path", path.toString());
        root.put("format", "gguf");
        root.put("version", h.version());
        root.put("alignment", h.alignment());
        root.put("data_offset", h.dataStart());
        ObjectNode meta = root.putObject("metadata");
        h.metadata().forEach((k, v) -> {
            ObjectNode e = meta.putObject(k);
            e.put("type", typeName(v));
            if (v.type() == GgufValueType.ARRAY) {
                e.put("length", v.asList().size());
            } else {
                switch (v.value()) {
                    case Long l when v.type() == GgufValueType.UINT64 ->
                            e.put("value", new java.math.BigInteger(Long.toUnsignedString(l)));
                    case Long l -> e.put("value", l);
                    case Float x -> e.put("value", x);
                    case Double x -> e.put("value", x);
                    case Boolean b -> e.put("value", b);
                    default -> e.put("value", v.value().toString());
                }
            }
        });
        ObjectNode types = root.putObject("bytes_by_type");
        bytesByType(h).forEach((t, b) -> types.put(t.name(), b[0]));
        if (tensors) {
            ArrayNode list = root.putArray("tensors");
            for (GgufTensorInfo info : h.tensors()) {
                if (filter == null || filter.matcher(info.name()).find()) {
                    ObjectNode t = list.addObject();
                    t.put("name", info.name());
                    t.put("type", info.type().name());
                    ArrayNode shape = t.putArray("shape");
                    for (long d : info.shape().dims()) {
                        shape.add(d);
                    }
                    t.put("bytes", info.byteSize());
                    t.put("offset", info.offset());
                }
            }
        }
        return root;
    }

    /** For each type present: {bytes, tensors}. */
    private static Map<GgufTensorType, long[]> bytesByType(GgufHeader h) {
        Map<GgufTensorType, long[]> m = new EnumMap<>(GgufTensorType.class);
        for (GgufTensorInfo t : h.tensors()) {
            long[] b = m.computeIfAbsent(t.type(), x -> new long[2]);
            b[0] += t.byteSize();
            b[1]++;
        }
        return m;
    }

    private static String typeName(GgufValue v) {
        return v.type() == GgufValueType.ARRAY ? "ARRAY[" + v.elementType() + "]" : v.type().name();
    }

    private static String shown(GgufValue v) {
        if (v.type() == GgufValueType.ARRAY) {
            StringBuilder sb = new StringBuilder(v.asList().size() + " elements");
            int n = Math.min(SHOWN_ELEMENTS, v.asList().size());
            if (n > 0) {
                sb.append(": ");
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ", ").append(one(v.elementType(), v.asList().get(i)));
                }
                sb.append(v.asList().size() > n ? ", …" : "");
            }
            return sb.toString();
        }
        return one(v.type(), v.type() == GgufValueType.UINT64 ? Long.toUnsignedString(v.asLong()) : v.value());
    }

    private static String one(GgufValueType type, Object o) {
        if (type != GgufValueType.STRING) {
            return String.valueOf(o);
        }
        String s = (String) o;
        String cut = s.length() > SHOWN_CHARS ? s.substring(0, SHOWN_CHARS) + "…" : s;
        return dev.graft.formats.json.JsonStrings.quote(cut);
    }
}
