package dev.graft.cli;

import dev.graft.core.inspect.Inspection;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code graft inspect}: what a checkpoint holds, from its headers and config alone. */
@Command(name = "inspect",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Show what a checkpoint holds: tensors, sizes, dtypes, architecture.",
                "",
                "Lists the files, every tensor (name, dtype, shape, size), the parameter count, how much is "
                        + "stored in each dtype, the safetensors metadata, and the architecture and layer count "
                        + "detected from config.json and the tensor names; for a folder with tokenizer files, the "
                        + "vocabulary size, the added tokens and whether it has a chat template.",
                "",
                "PATH is a .safetensors file (a compressed delta from 'graft compress' is shown as one: method, "
                        + "ratios, per-tensor errors), a GGUF file (.gguf: its metadata, types and offsets), "
                        + "a Hugging Face model folder, a sharded model's index file "
                        + "(*.safetensors.index.json), or a PEFT adapter folder (adapter_config.json + "
                        + "adapter_model.safetensors). "
                        + "Only headers are read, so this is instant even for large models."},
        footer = {"", "Examples:",
                "  graft inspect ./Qwen2.5-0.5B",
                "  graft inspect model.safetensors --no-tensors",
                "  graft inspect ./my-model --filter 'layers\\.0\\.'",
                "  graft inspect ./my-lora-adapter",
                "  graft inspect model.gguf --no-tensors",
                "  graft inspect ./chat-ft --no-tensors",
                "  graft inspect ./my-model --json | jq .parameters"})
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", description = "Model file, index file, model folder or PEFT adapter folder.")
    Path path;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Option(names = "--tensors", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "List every tensor (default); --no-tensors prints the summary only.")
    boolean tensors;

    @Option(names = "--filter", paramLabel = "REGEX", converter = RegexConverter.class,
            description = "List only tensors whose name contains a match of REGEX (Java syntax). "
                    + "Totals still count every tensor.")
    Pattern filter;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
        if (isDelta(path)) {
            printDelta();
            return 0;
        }
        if (java.nio.file.Files.isRegularFile(path) && dev.graft.formats.gguf.GgufFile.isGgufName(path)) {
            try (var f = dev.graft.formats.gguf.GgufFile.open(path)) {
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    JsonOutput.print(GgufReport.json(path, f.header(), tensors, filter), out);
                } else {
                    GgufReport.printText(path, f.header(), tensors, filter, out);
                }
            }
            return 0;
        }
        print(Inspection.of(path), json, tensors, filter, spec.commandLine().getOut());
        return 0;
    }

    /** A compressed delta ('graft compress' output) is described as one: method, ratios, errors. */
    private static boolean isDelta(Path p) {
        return java.nio.file.Files.isRegularFile(p) && p.getFileName().toString().endsWith(".safetensors")
                && dev.graft.formats.delta.DeltaManifest.isDelta(
                dev.graft.formats.safetensors.SafetensorsFile.readHeader(p).metadata());
    }

    private void printDelta() throws java.io.IOException {
        var m = dev.graft.formats.delta.DeltaManifest.read(path,
                dev.graft.formats.safetensors.SafetensorsFile.readHeader(path).metadata());
        long size = java.nio.file.Files.size(path);
        var shown = filter == null ? m : new dev.graft.formats.delta.DeltaManifest(m.version(), m.method(), m.parameters(),
                m.entries().stream().filter(e -> filter.matcher(e.name()).find()).toList());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            var node = dev.graft.cli.compress.DeltaReport.json(path, m, size, false);
            if (tensors) {
                node.set("tensors", dev.graft.cli.compress.DeltaReport.json(path, shown, size, true).get("tensors"));
            }
            JsonOutput.print(node, out);
        } else {
            dev.graft.cli.compress.DeltaReport.printText(path, m, size, false, out);
            if (tensors) {
                out.println();
                dev.graft.cli.compress.DeltaReport.printTensors(shown, out);
            }
        }
    }

    /** Prints an inspection as the command does; the demo reuses it. */
    static void print(Inspection in, boolean json, boolean tensors, Pattern filter, PrintWriter out) {
        if (json) {
            JsonOutput.print(InspectionJson.of(in, tensors, filter), out);
        } else {
            InspectionText.print(in, tensors, filter, out);
        }
    }
}
