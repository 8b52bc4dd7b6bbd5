package dev.graft.cli;

import dev.graft.core.inspect.ModelDiff;
import dev.graft.core.inspect.TokenizerDiff;
import dev.graft.formats.tokenizer.TokenizerFormatException;

import dev.graft.formats.model.ModelSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code graft diff}: how much each tensor changed between two checkpoints. */
@Command(name = "diff",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Compare two checkpoints tensor by tensor: how much each one changed.",
                "",
                "For every tensor both have with the same shape, the "
                        + "relative change ||B-A||/||A|| (L2 norms over all its elements) and the largest "
                        + "absolute change max|B-A|, largest relative change first; tensors only one of them has; "
                        + "and tensors whose shape or dtype differs. Values are compared as float32 with sums in "
                        + "double; tensors of raw-only dtypes are compared byte for byte.",
                "",
                "A and B are each a .safetensors file, a *.safetensors.index.json, or a model folder. Typical use: "
                        + "see what a fine-tune changed relative to its base model, or check that two files "
                        + "hold the same weights.",
                "",
                "When A and B are folders with tokenizers, their tokens are compared too: tokens only in A, only "
                        + "in B, and tokens both have under different ids (rows a merge without --tokenizer would "
                        + "mix up)."},
        footer = {"", "Examples:",
                "  graft diff ./base ./finetuned",
                "  graft diff ./base ./finetuned --top 10",
                "  graft diff ./chat-base ./chat-ft --top 3",
                "  graft diff a.safetensors b.safetensors --json | jq .relative_delta"})
final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "The reference checkpoint.")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The checkpoint compared against it.")
    Path b;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Option(names = "--top", paramLabel = "N", description = "Show only the N tensors that changed most.")
    Integer top;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (top != null && top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, not " + top);
        }
        print(a, b, json, top, spec.commandLine().getOut(), spec.commandLine().getErr());
        return 0;
    }

    /** Compares and prints as the command does; the demo reuses it. */
    static void print(Path a, Path b, boolean json, Integer top, PrintWriter out, PrintWriter warnings) {
        ModelDiff d;
        try (ModelSource ma = ModelSource.open(a); ModelSource mb = ModelSource.open(b)) {
            d = ModelDiff.of(a.toString(), ma, b.toString(), mb);
        }
        Optional<TokenizerDiff> tokens;
        try {
            tokens = TokenizerDiff.of(a, b);
        } catch (TokenizerFormatException e) {
            // The weights are what diff is for: a tokenizer it cannot read is noted, not fatal.
            tokens = Optional.empty();
            warnings.println("graft: warning: tokenizers not compared: " + e.getMessage());
            warnings.flush();
        }
        if (json) {
            JsonOutput.print(DiffJson.of(d, tokens, top), out);
        } else {
            DiffText.print(d, tokens, top, out);
        }
    }
}
