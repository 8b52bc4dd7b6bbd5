package dev.graft.cli.merge;

import dev.graft.cli.ProgressMeter;
import dev.graft.core.exec.MergeJob;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.exec.MergeReport;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.MergeRequest;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.PlanDescription;
import dev.graft.formats.shard.ByteSize;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.nio.file.Path;

/** What {@code merge} and {@code run} share once they have a request: dry run or merge, then the report. */
final class MergeRun {
    private final CommandLine cmd;
    private final MergeOptions options;

    MergeRun(CommandLine cmd, MergeOptions options) {
        this.cmd = cmd;
        this.options = options;
    }

    /** Options from the shared flags; the progress bar shows on a terminal unless quiet. */
    static MergeOptions options(CommandLine cmd, Integer threads, boolean force, String shardSize, boolean quiet) {
        long shard;
        try {
            shard = ByteSize.parse(shardSize);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cmd, "--shard-size: " + e.getMessage());
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new ParameterException(cmd, "--threads must be at least 1");
        }
        ProgressBar progress = new ProgressBar(ProgressMeter.forCommand(cmd, quiet, "tensors"));
        return MergeOptions.defaults().withThreads(n).withOverwrite(force).withMaxShardBytes(shard).withProgress(progress);
    }

    int execute(MergeRequest request, Path out, boolean dryRun) {
        MergeJob job = new MergeJob(MethodRegistry.load(), options);
        PrintWriter stdout = cmd.getOut();
        if (dryRun) {
            Plan plan = job.plan(request);
            PlanDescription.print(plan, options.threads(), options.cacheBytes(), stdout);
            return 0;
        }
        MergeReport report = job.run(request, out);
        for (String w : report.warnings()) {
            cmd.getErr().println("graft: warning: " + w);
        }
        cmd.getErr().flush();
        stdout.printf("Merged %d tensors (%s) with %s into %s in %.1f s%n", report.tensors(),
                PlanDescription.bytes(report.bytes()), request.method(), report.output(), report.seconds());
        stdout.flush();
        return 0;
    }
}
