package dev.graft.cli.merge;

import dev.graft.cli.GgufTypeOptions;
import dev.graft.cli.ModelOutputOptions;
import dev.graft.core.plan.MergeRequest;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options {@code merge} and {@code run} share: where the output goes and how the merge runs. */
final class OutputOptions {
    @Mixin
    ModelOutputOptions model;

    @Mixin
    GgufTypeOptions gguf;

    @Option(names = "--dry-run", description = "Print the plan (tensors, parameters, peak memory, output size) and stop.")
    boolean dryRun;

    @Option(names = "--allow-nonfinite", description = "Merge inputs holding NaN or infinite values instead of "
            + "refusing them (their non-finite values reach the output).")
    boolean allowNonFinite;

    /** The merge options these flags give, before any recipe's. */
    dev.graft.core.exec.MergeOptions options(CommandLine cmd) {
        return MergeRun.options(cmd, model).withAllowNonFinite(allowNonFinite)
                .withGgufTypes(gguf.types(cmd, model.out()));
    }

    /** Runs the request as these options say. */
    int execute(CommandLine cmd, MergeRequest request) {
        return execute(cmd, request, java.util.OptionalLong.empty());
    }

    /**
     * Runs the request as these options say, with {@code recipeShardBytes} (a recipe's {@code out_shard_size}) as the
     * shard limit unless {@code --shard-size} was given.
     */
    int execute(CommandLine cmd, MergeRequest request, java.util.OptionalLong recipeShardBytes) {
        var options = options(cmd);
        if (!model.shardSizeGiven() && recipeShardBytes.isPresent()) {
            options = options.withMaxShardBytes(recipeShardBytes.getAsLong());
        }
        return new MergeRun(cmd, options).execute(request, model.out(), dryRun);
    }
}
