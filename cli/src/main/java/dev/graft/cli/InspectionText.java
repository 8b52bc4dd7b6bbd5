package dev.graft.cli;

import dev.graft.core.inspect.Inspection;
import dev.graft.core.inspect.TokenizerSummary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.formats.model.Architecture;
import dev.graft.formats.shard.ByteSize;
import dev.graft.formats.tensor.TensorSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Renders an {@link Inspection} as aligned text for a terminal. */
final class InspectionText {
    /** Metadata values longer than this are cut: some writers store whole configs there. */
    private static final int MAX_METADATA_VALUE = 100;

    private InspectionText() {
    }

    /**
     * @param listTensors print the tensor table
     * @param filter      only tensors whose name contains a match are listed (null: all)
     */
    static void print(Inspection in, boolean listTensors, Pattern filter, PrintWriter out) {
        Table head = new Table("", Table.Align.LEFT, Table.Align.LEFT);
        head.row(in.kind() == Inspection.Kind.MODEL ? "Model" : "Adapter", in.path());
        int nameWidth = in.files().stream().mapToInt(f -> f.name().length()).max().orElse(0);
        boolean first = true;
        for (Inspection.FileEntry f : in.files()) {
            head.row(first ? "Files" : "", pad(f.name(), nameWidth) + "  " + ByteSize.format(f.bytes()));
            first = false;
        }
        in.architecture().ifPresent(a -> head.row("Architecture", describe(a)));
        in.configDtype().ifPresent(d -> head.row("Config dtype", d.torchName()));
        if (!in.adapter().isEmpty()) {
            head.row("LoRA", describe(in.adapter()));
        }
        head.row("Parameters", HumanUnits.count(in.parameters()) + " (" + HumanUnits.shortCount(in.parameters())
                + ") in " + in.tensors().size() + " tensors, " + ByteSize.format(in.tensorBytes()));
        if (in.metadata().isEmpty()) {
            head.row("Metadata", "none");
        }
        first = true;
        for (Map.Entry<String, String> e : in.metadata().entrySet()) {
            head.row(first ? "Metadata" : "", e.getKey() + "=" + shorten(e.getValue()));
            first = false;
        }
        in.tokenizer().ifPresent(t -> tokenizer(head, t));
        in.architecture().ifPresent(a -> a.warnings().forEach(w -> head.row("Warning", w)));
        head.print(out);

        if (listTensors) {
            out.println();
            printTensors(in.tensors(), filter, out);
        }
        out.println();
        out.println("By dtype");
        Table dtypes = new Table("  ", Table.Align.LEFT, Table.Align.RIGHT, Table.Align.RIGHT, Table.Align.RIGHT);
        dtypes.row("DTYPE", "TENSORS", "PARAMETERS", "SIZE");
        for (Inspection.DTypeShare d : in.byDtype()) {
            dtypes.row(d.dtype().name(), Integer.toString(d.tensors()), HumanUnits.count(d.parameters()),
                    ByteSize.format(d.bytes()));
        }
        dtypes.print(out);
    }

    /** Added tokens listed before the rest are only counted. */
    private static final int MAX_ADDED = 12;

    private static void tokenizer(Table head, TokenizerSummary t) {
        if (t.problem().isPresent()) {
            head.row("Tokenizer", "unreadable: " + t.problem().get());
        } else {
            head.row("Tokenizer", t.size() + " tokens (" + t.modelVocabSize() + " in the vocabulary, "
                    + t.added().size() + " added)" + t.configVocabSize().stream()
                    .mapToObj(v -> "; config vocab_size " + v + (v < t.size() ? ", fewer than the tokens" : ""))
                    .findFirst().orElse(""));
        }
        int shown = 0;
        for (var e : t.added().entrySet()) {
            if (shown++ == MAX_ADDED) {
                head.row("", "... and " + (t.added().size() - MAX_ADDED) + " more (--json lists all)");
                break;
            }
            head.row(shown == 1 ? "Added tokens" : "", e.getKey() + " " + e.getValue().content()
                    + (e.getValue().special() ? " (special)" : ""));
        }
        head.row("Chat template", t.chatTemplates().isEmpty() ? "none" : "yes (" + String.join(", ", t.chatTemplates())
                + ")");
    }

    private static void printTensors(List<TensorSpec> all, Pattern filter, PrintWriter out) {
        Predicate<TensorSpec> keep = filter == null ? t -> true : t -> filter.matcher(t.name()).find();
        List<TensorSpec> shown = all.stream().filter(keep).toList();
        if (filter == null) {
            out.println("Tensors");
        } else if (shown.isEmpty()) {
            out.println("Tensors matching /" + filter.pattern() + "/: none of " + all.size());
            return;
        } else {
            out.println("Tensors matching /" + filter.pattern() + "/ (" + shown.size() + " of " + all.size() + ")");
        }
        Table t = new Table("  ", Table.Align.LEFT, Table.Align.LEFT, Table.Align.LEFT, Table.Align.RIGHT);
        t.row("NAME", "DTYPE", "SHAPE", "SIZE");
        for (TensorSpec s : shown) {
            t.row(s.name(), s.dtype().name(), s.shape().toString(), ByteSize.format(s.byteSize()));
        }
        t.print(out);
    }

    /** {@code llama (LlamaForCausalLM), 2 layers}. */
    static String describe(Architecture a) {
        String family = switch (a.source()) {
            case CONFIG -> a.family() + a.className().map(c -> " (" + c + ")").orElse("");
            case TENSOR_NAMES -> a.family() + " (guessed from tensor names)";
            case NONE -> "unknown";
        };
        String layers = a.layers() == 0 ? "no transformer blocks recognised"
                : a.layers() + (a.layers() == 1 ? " layer" : " layers");
        return family + ", " + layers;
    }

    /** {@code r=8, lora_alpha=16, target_modules=["q_proj","v_proj"]}. */
    private static String describe(Map<String, JsonNode> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=')
                .append(v.isTextual() ? v.textValue() : v.toString()));
        return sb.toString();
    }

    private static String shorten(String v) {
        String oneLine = v.replace('\n', ' ');
        return oneLine.length() <= MAX_METADATA_VALUE ? oneLine
                : oneLine.substring(0, MAX_METADATA_VALUE) + "... (" + oneLine.length() + " characters)";
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
