package dev.graft.cli.export;

import dev.graft.formats.gguf.GgufTensorType;
import dev.graft.formats.gguf.export.GgufExport;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.shard.ByteSize;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code graft export gguf}: a Hugging Face model as one GGUF file, as llama.cpp's converter writes it. */
@Command(name = "gguf",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Write a model as a GGUF file for llama.cpp, Ollama and LM Studio.",
                "",
                "MODEL is a Llama, Mistral, Qwen2 or Gemma checkpoint with its config.json (a folder, or a "
                        + "weights file beside one). Tensors get llama.cpp's names (token_embd, blk.N.attn_q …), "
                        + "Llama-family q/k rows are permuted to GGUF's rotary layout, and the metadata llama.cpp "
                        + "needs comes from the model's config and tokenizer files, as llama.cpp's own converter "
                        + "reads them.",
                "",
                "Norms and 1-D tensors stay F32; --type sets the rest: f32, f16, bf16 (exact for a bf16 model), "
                        + "q8_0, q4_0, q4_k or q6_k (ggml's reference quantizers). A tensor whose rows are not whole "
                        + "blocks (32 elements; 256 for the k-quants) is written as F16 instead, as llama.cpp's converter does."},
        footer = {"", "Examples:",
                "  graft export gguf ./merged -o merged.gguf",
                "  graft export gguf ./merged -o merged-q8.gguf --type q8_0",
                "  graft export gguf ./merged -o merged-q4.gguf -t q4_0 --keep-f16 token_embd"})
public final class GgufExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model: a folder, or a weights file beside "
            + "its config.json.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The .gguf file to write.")
    Path out;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", converter = dev.graft.cli.GgufTypeConverter.class,
            description = "Type of the 2-D tensors: f32, f16, bf16, q8_0, q4_0, q4_k or q6_k (default: the model's own "
                    + "f32, f16 or bf16).")
    GgufTensorType type;

    @Option(names = "--keep-f16", paramLabel = "REGEX", converter = dev.graft.cli.RegexConverter.class,
            description = "Keep tensors whose GGUF name contains a match of REGEX as F16 (e.g. 'token_embd|output').")
    Pattern keepF16;

    @Option(names = "--name", paramLabel = "NAME", description = "general.name (default: the model folder's name).")
    String name;

    @Option(names = "--force", description = "Replace OUT if it exists (never an input).")
    boolean force;

    @Option(names = {"-j", "--threads"}, paramLabel = "N", description = "Tensors converted at once (default: all "
            + "cores).")
    Integer threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(cmd, "--threads must be at least 1, not " + threads);
        }
        try (ModelSource m = ModelSource.open(model)) {
            GgufExport export = GgufExport.of(m).type(type).keepF16(keepF16).name(name).overwrite(force);
            if (threads != null) {
                export.threads(threads);
            }
            GgufExport.Report r = export.write(out);
            for (String note : r.notes()) {
                cmd.getErr().println("graft: note: " + note);
            }
            cmd.getOut().printf("Exported %d tensors (%s read) from %s into %s (%s) in %.1f s%n", r.tensors(),
                    ByteSize.format(r.inputBytes()), model, r.output(), ByteSize.format(r.fileBytes()), r.seconds());
            cmd.getOut().flush();
        }
        return 0;
    }
}
