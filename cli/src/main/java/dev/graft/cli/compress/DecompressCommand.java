package dev.graft.cli.compress;

import dev.graft.algorithms.compress.Decompression;
import dev.graft.cli.MeterProgress;
import dev.graft.cli.GgufTypeOptions;
import dev.graft.cli.ModelOutputOptions;
import dev.graft.formats.shard.ByteSize;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code graft decompress}: a compressed delta applied to its base, written as a model. */
@Command(name = "decompress",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Apply a compressed delta to its base model.",
                "",
                "Writes the fine-tuned model that a delta made by 'graft compress' approximates: one file when OUT "
                        + "ends in .safetensors, one GGUF file for llama.cpp (types set by --type and --keep-f16) when "
                        + "it ends in .gguf, else a Hugging Face folder (the base's config.json and tokenizer "
                        + "files copied).",
                "",
                "Every base tensor is checked against the CRC32C the delta recorded; a different base is refused "
                        + "with the tensor named, and nothing is written."},
        footer = {"", "Examples:",
                "  graft decompress ./base instruct.delta.safetensors -o ./instruct-restored",
                "  graft decompress base.safetensors d.safetensors -o out.safetensors --force",
                "  graft decompress ./base instruct.delta.safetensors -o instruct.gguf \\",
                "      --type q4_0 --keep-f16 token_embd"})
public final class DecompressCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BASE", description = "The base model the delta was made from.")
    Path base;

    @Parameters(index = "1", paramLabel = "DELTA", description = "The compressed delta (.safetensors).")
    Path delta;

    @Mixin
    ModelOutputOptions output;

    @Mixin
    GgufTypeOptions gguf;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        Decompression d = Decompression.options().overwrite(output.force())
                .progress(new MeterProgress(output.meter(cmd)))
                .maxShardBytes(output.maxShardBytes(cmd))
                .threads(output.threads(cmd))
                .ggufTypes(gguf.types(cmd, output.out()));
        Decompression.Report r = d.run(base, delta, output.out());
        cmd.getOut().printf("Decompressed %d tensors (%s) from the %s delta into %s in %.1f s%n",
                r.manifest().entries().size(), ByteSize.format(r.bytes()), r.manifest().method(), r.output(),
                r.seconds());
        cmd.getOut().flush();
        return 0;
    }
}
