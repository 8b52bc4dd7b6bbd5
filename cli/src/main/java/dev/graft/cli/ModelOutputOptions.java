package dev.graft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

/**
 * The options of every command that writes a model ({@code merge}, {@code run}, {@code lora apply},
 * {@code decompress}): the output, replacing it, threads, shard size and quiet. A picocli mixin, so the commands
 * spell and check them alike.
 */
public final class ModelOutputOptions {
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output .safetensors file, .gguf file (llama.cpp) or folder.")
    Path out;

    @Option(names = "--force", description = "Replace OUT if it exists: a file, or a folder holding only an earlier Graft output (never an input).")
    boolean force;

    @Option(names = {"-j", "--threads"}, paramLabel = "N", description = "Tensors processed at once (default: all cores).")
    Integer threads;

    private static final String DEFAULT_SHARD_SIZE = "5GB";

    @Option(names = "--shard-size", paramLabel = "SIZE", description = "Shard size limit for folder output (default: "
            + "a recipe's out_shard_size, else " + DEFAULT_SHARD_SIZE + ").")
    String shardSize;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    /** The output file or folder. */
    public Path out() {
        return out;
    }

    /** Whether an existing output may be replaced. */
    public boolean force() {
        return force;
    }

    /** Whether progress output is off. */
    public boolean quiet() {
        return quiet;
    }

    /**
     * Tensors at once: {@code --threads}, else all cores.
     *
     * @throws ParameterException when {@code --threads} is below 1
     */
    public int threads(CommandLine cmd) {
        if (threads == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (threads < 1) {
            throw new ParameterException(cmd, "--threads must be at least 1");
        }
        return threads;
    }

    /**
     * The largest shard of a folder output, in bytes.
     *
     * @throws ParameterException when {@code --shard-size} is not a size
     */
    public long maxShardBytes(CommandLine cmd) {
        return SizeOption.parse(cmd, "--shard-size", shardSize == null ? DEFAULT_SHARD_SIZE : shardSize);
    }

    /** Whether {@code --shard-size} was given (it then wins over a recipe's {@code out_shard_size}). */
    public boolean shardSizeGiven() {
        return shardSize != null;
    }

    /** The progress meter {@code --quiet} and {@code --verbose} ask for, counting tensors. */
    public ProgressMeter meter(CommandLine cmd) {
        return ProgressMeter.forCommand(cmd, quiet, "tensors");
    }
}
