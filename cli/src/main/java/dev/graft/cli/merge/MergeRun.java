package dev.graft.cli.merge;

import dev.graft.cli.MeterProgress;
import dev.graft.cli.ModelOutputOptions;
import dev.graft.core.exec.MergeJob;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.exec.MergeReport;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.MergeRequest;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.PlanDescription;
import dev.graft.formats.shard.ByteSize;
import picocli.CommandLine;

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
    static MergeOptions options(CommandLine cmd, ModelOutputOptions output) {
        long shard = output.maxShardBytes(cmd);
        int n = output.threads(cmd);
        return MergeOptions.defaults().withThreads(n).withOverwrite(output.force()).withMaxShardBytes(shard)
                .withProgress(new MeterProgress(output.meter(cmd)));
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
                ByteSize.format(report.bytes()), request.method(), report.output(), report.seconds());
        stdout.flush();
        return 0;
    }
}
