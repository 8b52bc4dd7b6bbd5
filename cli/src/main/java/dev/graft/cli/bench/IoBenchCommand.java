package dev.graft.cli.bench;

import dev.graft.cli.SizeOption;
import dev.graft.formats.shard.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code graft bench io}: safetensors read/convert/write throughput against {@code cat}, and peak heap. */
@Command(name = "io",
        optionListHeading = "%nOptions:%n",
        description = {
                // The first line alone is what 'graft bench --help' lists.
                "Time the I/O every merge does around its math, against cat on the same file.",
                "",
                "Generates a bf16 checkpoint of 4096x4096 tensors (33.6 MB each), reads every tensor as float32 "
                        + "and writes it back as bf16, and compares the time of each pass with 'cat FILE > /dev/null' "
                        + "on the same warm file in the same run.",
                "",
                "Also reports the peak Java heap while the checkpoint is generated: it must not grow with the "
                        + "size (try GRAFT_JAVA_OPTS=-Xmx256m with --size 4GB).",
                "",
                "Each pass first writes the same number of bytes once (a warm-up: on virtual machines the first "
                        + "touch of fresh page-cache memory is slow and varies widely), then cats the input, then "
                        + "runs the conversion. Needs twice --size free in --dir; the files are deleted afterwards."},
        footer = {"", "Examples:", "  graft bench io", "  GRAFT_JAVA_OPTS=-Xmx256m graft bench io --size 4GB --passes 1"})
final class IoBenchCommand implements Callable<Integer> {
    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "2GB",
            description = "Checkpoint size, decimal units (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the files (default: the system temp folder).")
    Path dir;

    @Option(names = "--threads", paramLabel = "N", description = "Threads converting tensors (default: all cores).")
    Integer threads;

    @Option(names = "--passes", paramLabel = "N", defaultValue = "3",
            description = "Read-convert-write passes (default: ${DEFAULT-VALUE}).")
    int passes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        long bytes = SizeOption.parse(spec.commandLine(), "--size", size);
        if (passes < 1) {
            throw new ParameterException(spec.commandLine(), "--passes must be at least 1");
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
        }
        Path where = ScratchFolder.of(dir);
        IoBenchmark.Result r = new IoBenchmark(where, bytes, n, passes, spec.commandLine().getOut()).run();
        IoBenchmark.Pass best = r.best();
        spec.commandLine().getOut().printf("best: %.2f GB/s read+convert+write (%.1fx the time of cat); "
                        + "peak heap while writing %s: %s (max heap %s)%n", r.gbPerSecond(best), best.ratioToCat(),
                ByteSize.format(r.bytes()), ByteSize.format(r.generatePeakHeapBytes()),
                ByteSize.format(Runtime.getRuntime().maxMemory()));
        return 0;
    }
}
