package dev.graft.cli.merge;

import dev.graft.core.exec.MergeOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options {@code merge} and {@code run} share: where the output goes and how the merge runs. */
final class OutputOptions {
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output .safetensors file or folder.")
    Path out;

    @Option(names = "--force", description = "Replace OUT if it exists.")
    boolean force;

    @Option(names = "--dry-run", description = "Print the plan (tensors, parameters, peak memory, output size) and stop.")
    boolean dryRun;

    @Option(names = {"-j", "--threads"}, paramLabel = "N", description = "Tensors merged at once (default: all cores).")
    Integer threads;

    @Option(names = "--shard-size", paramLabel = "SIZE", defaultValue = "5GB", description = "Shard size limit for folder output (default: ${DEFAULT-VALUE}).")
    String shardSize;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    /** Runs the request as these options say. */
    int execute(CommandLine cmd, dev.graft.core.plan.MergeRequest request) {
        MergeOptions options = MergeRun.options(cmd, threads, force, shardSize, quiet);
        return new MergeRun(cmd, options).execute(request, out, dryRun);
    }
}
