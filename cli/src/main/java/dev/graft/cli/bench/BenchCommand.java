package dev.graft.cli.bench;

import dev.graft.cli.HelpCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code graft bench}: the performance figures Graft promises, measured on this machine. */
@Command(name = "bench",
        subcommands = {IoBenchCommand.class, MergeBenchCommand.class, FamilyBenchCommand.class, ExtractBenchCommand.class,
                CompressBenchCommand.class, GgufBenchCommand.class,
                VocabBenchCommand.class, HelpCommand.class},
        description = "Measure Graft's throughput and memory on generated checkpoints.",
        commandListHeading = "%nBenchmarks:%n",
        footer = {"", "Examples:", "  graft bench io", "  graft bench io --size 4GB --dir /data/scratch",
                "  graft bench compress --threads 2"})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing benchmark (io, merge, family, extract, compress, gguf, vocab)");
    }
}
