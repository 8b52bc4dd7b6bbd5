package dev.graft.cli;

import dev.graft.core.inspect.Inspection;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code graft inspect}: what a checkpoint holds, from its headers and config alone. */
@Command(name = "inspect",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Show what a checkpoint holds: tensors, sizes, dtypes, architecture.",
                "",
                "Lists the files, every tensor (name, dtype, shape, size), the parameter count, how much is "
                        + "stored in each dtype, the safetensors metadata, and the architecture and layer count "
                        + "detected from config.json and the tensor names.",
                "",
                "PATH is a .safetensors file, a sharded model's *.safetensors.index.json, a Hugging Face model "
                        + "folder, or a PEFT adapter folder (adapter_config.json + adapter_model.safetensors). "
                        + "Only headers are read, so this is instant even for large models."},
        footer = {"", "Examples:",
                "  graft inspect ./Qwen2.5-0.5B",
                "  graft inspect model.safetensors --no-tensors",
                "  graft inspect ./my-model --filter 'layers\\.0\\.'",
                "  graft inspect ./my-lora-adapter",
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
    public Integer call() {
        print(Inspection.of(path), json, tensors, filter, spec.commandLine().getOut());
        return 0;
    }

    /** Parses {@code --filter}, with a one-line message for a malformed expression. */
    static final class RegexConverter implements ITypeConverter<Pattern> {
        @Override
        public Pattern convert(String value) {
            try {
                return Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new TypeConversionException("'" + value + "' is not a regular expression: "
                        + e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
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
