package dev.graft.cli;

import dev.graft.formats.gguf.GgufFile;
import dev.graft.formats.gguf.GgufTensorType;
import dev.graft.formats.gguf.export.GgufTypes;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * {@code --type} and {@code --keep-f16} of the commands that write a model ({@code merge}, {@code run},
 * {@code lora apply}, {@code decompress}), for a {@code -o x.gguf} output: the same choice as
 * {@code graft export gguf}'s options of those names. A picocli mixin, so the commands spell and check them alike.
 */
public final class GgufTypeOptions {
    @Option(names = "--type", paramLabel = "TYPE", converter = GgufTypeConverter.class,
            description = "For a .gguf OUT: type of the 2-D tensors, f32, f16, bf16, q8_0, q4_0, q4_k or q6_k (default: the "
                    + "model's own f32, f16 or bf16; norms and 1-D tensors stay F32).")
    GgufTensorType type;

    @Option(names = "--keep-f16", paramLabel = "REGEX", converter = RegexConverter.class,
            description = "For a .gguf OUT: keep tensors whose GGUF name contains a match of REGEX as F16 "
                    + "(e.g. 'token_embd|output').")
    Pattern keepF16;

    /**
     * The types asked for.
     *
     * @throws ParameterException when either option is given and {@code out} is not a {@code .gguf} file
     */
    public GgufTypes types(CommandLine cmd, Path out) {
        GgufTypes t = GgufTypes.of(type, keepF16);
        if (!t.isDefault() && !GgufFile.isGgufName(out)) {
            throw new ParameterException(cmd, (type != null ? "--type" : "--keep-f16") + " is for a .gguf output, "
                    + "not " + out + " (other outputs keep their tensors' dtypes)");
        }
        return t;
    }
}
