package dev.graft.cli.compress;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.cli.Table;
import dev.graft.formats.delta.DeltaEntry;
import dev.graft.formats.delta.DeltaManifest;
import dev.graft.formats.shard.ByteSize;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A compressed delta described for people (text) and programs (JSON): method and parameters, file size, the
 * ratios against the bf16 delta and the fine-tuned model, and each tensor's encoding, size and relative error.
 * What {@code graft compress} prints when it finishes and {@code graft inspect DELTA} prints from the file.
 */
public final class DeltaReport {
    private DeltaReport() {
    }

    /** Prints the summary, then (if {@code tensors}) one row per tensor. */
    public static void printText(Path file, DeltaManifest m, long fileBytes, boolean tensors, PrintWriter out) {
        long compressed = m.entries().stream().filter(e -> !e.isCopy()).count();
        out.printf("Delta:       %s%n", file);
        out.printf("Method:      %s%s%n", m.method(), m.parameters().isEmpty() ? ""
                : " (" + m.parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ")) + ")");
        out.printf("Format:      Graft delta version %d%n", m.version());
        out.printf("Size:        %s, %s bits per parameter%n", ByteSize.format(fileBytes),
                fixed(m.bitsPerParameter(fileBytes), 3));
        out.printf("Ratio:       %sx vs the bf16 delta (%s), %sx vs the fine-tuned model (%s)%n",
                fixed(m.ratioVsBf16Delta(fileBytes), 2), ByteSize.format(m.bf16DeltaBytes()),
                fixed(m.ratioVsModel(fileBytes), 2), ByteSize.format(m.tunedBytes()));
        out.printf("Tensors:     %d compressed, %d stored losslessly%n", compressed, m.entries().size() - compressed);
        m.entries().stream().filter(e -> !e.isCopy()).max(Comparator.comparingDouble(DeltaEntry::error))
                .ifPresent(w -> out.printf("Error:       %s overall ||D - D^||/||D||, worst %s (%s)%n",
                        fixed(m.overallError(), 4), fixed(w.error(), 4), w.name()));
        if (tensors && !m.entries().isEmpty()) {
            out.println();
            printTensors(m, out);
        }
    }

    /** One row per tensor: encoding, shape, bytes stored, bits per parameter, relative error. */
    public static void printTensors(DeltaManifest m, PrintWriter out) {
        Table t = new Table("  ", Table.Align.LEFT, Table.Align.LEFT, Table.Align.LEFT, Table.Align.RIGHT,
                Table.Align.RIGHT, Table.Align.RIGHT);
        t.row("tensor", "encoding", "shape", "stored", "bits/param", "rel. error");
        for (DeltaEntry e : m.entries()) {
            t.row(e.name(), e.encoding(), e.spec().shape().toString(), ByteSize.format(e.storedBytes()),
                    fixed(8.0 * e.storedBytes() / Math.max(1, e.spec().elementCount()), 3),
                    e.isCopy() ? "lossless" : fixed(e.error(), 4));
        }
        t.print(out);
    }

    /** The same as one JSON document. */
    public static ObjectNode json(Path file, DeltaManifest m, long fileBytes, boolean tensors) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("delta", file.toString());
        o.put("method", m.method());
        ObjectNode params = o.putObject("parameters");
        for (Map.Entry<String, String> p : m.parameters().entrySet()) {
            params.put(p.getKey(), p.getValue());
        }
        o.put("format_version", m.version());
        o.put("file_bytes", fileBytes);
        o.put("bf16_delta_bytes", m.bf16DeltaBytes());
        o.put("model_bytes", m.tunedBytes());
        o.put("ratio_vs_bf16_delta", m.ratioVsBf16Delta(fileBytes));
        o.put("ratio_vs_model", m.ratioVsModel(fileBytes));
        o.put("bits_per_parameter", m.bitsPerParameter(fileBytes));
        o.put("relative_error", m.overallError());
        if (tensors) {
            var arr = o.putArray("tensors");
            for (DeltaEntry e : m.entries()) {
                ObjectNode t = arr.addObject();
                t.put("name", e.name());
                t.put("encoding", e.encoding());
                t.put("dtype", e.spec().dtype().safetensorsName());
                var shape = t.putArray("shape");
                for (long d : e.spec().shape().dims()) {
                    shape.add(d);
                }
                t.put("stored_bytes", e.storedBytes());
                if (!e.isCopy()) {
                    t.put("relative_error", e.error());
                    t.put("base_crc32c", e.baseChecksum());
                }
            }
        }
        return o;
    }

    private static String fixed(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
