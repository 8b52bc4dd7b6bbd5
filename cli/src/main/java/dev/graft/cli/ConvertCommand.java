package dev.graft.cli;

import dev.graft.core.convert.Conversion;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.shard.ByteSize;
import dev.graft.formats.tensor.TensorSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code graft convert}: a model (PyTorch checkpoints above all) written as safetensors, bit for bit. */
@Command(name = "convert",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Write a model as safetensors.",
                "",
                "Reads a PyTorch checkpoint (a folder holding pytorch_model.bin or its sharded index, or a .bin, "
                        + ".pt or .pth file, in torch's zip format) without running any of its pickle code, or a "
                        + "safetensors model, and writes every tensor unchanged (name, dtype, shape, bits): one file "
                        + "when OUT ends in .safetensors, else a Hugging Face folder with shards, their index, and the "
                        + "model's config.json and tokenizer files.",
                "",
                "A checkpoint whose pickle asks for anything but torch's tensor-rebuild functions is refused with "
                        + "the global named, and so are legacy files (torch.save before 1.6)."},
        footer = {"", "Examples:",
                "  graft convert ./old-model -o ./new-model",
                "  graft convert pytorch_model.bin -o model.safetensors",
                "  graft convert ./big-model -o ./resharded --shard-size 2GB --force"})
public final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model: a folder, a PyTorch checkpoint, a "
            + "safetensors file or a shard index.")
    Path model;

    @Mixin
    ModelOutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        long maxShardBytes = output.maxShardBytes(cmd);
        int threads = output.threads(cmd);
        try (ModelSource m = ModelSource.open(model)) {
            Conversion conversion = Conversion.of(m).overwrite(output.force()).threads(threads)
                    .maxShardBytes(maxShardBytes);
            List<TensorSpec> specs = conversion.tensors();
            MeterProgress progress = new MeterProgress(output.meter(cmd));
            progress.started(specs.size(), specs.stream().mapToLong(TensorSpec::byteSize).sum());
            Conversion.Report r = conversion.progress(progress::tensorDone).write(output.out());
            progress.finished();
            cmd.getOut().printf("Converted %d tensors (%s) from %s into %s in %.1f s%n", r.tensors(),
                    ByteSize.format(r.bytes()), model, r.output(), r.seconds());
            cmd.getOut().flush();
        }
        return 0;
    }
}
