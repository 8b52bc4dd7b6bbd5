package dev.graft.cli.bench;

import dev.graft.formats.shard.ByteSize;
import dev.graft.testmodels.DeltaProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code graft bench compress}: BitDelta and ComPEFT against the I/O floor; or every method at equal bits. */
@Command(name = "compress",
        optionListHeading = "%nOptions:%n",
        description = {
                "Time delta compression against the I/O floor, or compare methods at equal bits.",
                "",
                "Generates a bf16 base and fine-tune, then times compressing and decompressing them with BitDelta "
                        + "and ComPEFT against the I/O floor of the same pipeline (every tensor read, nothing "
                        + "computed), reporting wall time, process CPU time and peak resident memory (VmHWM).",
                "",
                "With --table instead: compress a generated Llama-shaped fine-tune with every method at about 1 and 2 "
                        + "bits per parameter and print bits, ratio and relative error as a Markdown table.",
                "",
                "Needs about 2.2 x --size free in --dir; the files are deleted afterwards."},
        footer = {"", "Examples:", "  graft bench compress", "  graft bench compress --size 2GB --threads 2 --dir /data/scratch",
                "  graft bench compress --table"})
final class CompressBenchCommand implements Callable<Integer> {
    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "2GB", description = "Size of each model (default: ${DEFAULT-VALUE}, 1 G bf16 parameters).")
    String size;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the files (default: the system temp folder).")
    Path dir;

    @Option(names = "--threads", paramLabel = "N", description = "Tensors processed at once (default: all cores).")
    Integer threads;

    @Option(names = "--table", description = "Compare every method at equal bits instead of timing.")
    boolean table;

    @Option(names = "--rank", paramLabel = "R", description = "--table: rank of the generated deltas' low-rank part (default: ${DEFAULT-VALUE}).")
    int rank = DeltaProfile.DEFAULT.rank();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        long bytes;
        try {
            bytes = ByteSize.parse(size);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--size: " + e.getMessage());
        }
        Path where = dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir;
        Files.createDirectories(where);
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        PrintWriter out = spec.commandLine().getOut();
        if (table) {
            new CompressionTable(where, rank, n, out).run();
            return 0;
        }
        List<CompressBenchmark.Phase> p = new CompressBenchmark(where, bytes, n, out).run();
        // Phases: compress floor, bitdelta, compeft, twice; then decompress in the same order.
        for (int base = 0; base < 12; base += 6) {
            double floor = Math.min(p.get(base).seconds(), p.get(base + 3).seconds());
            double bit = Math.min(p.get(base + 1).seconds(), p.get(base + 4).seconds());
            double com = Math.min(p.get(base + 2).seconds(), p.get(base + 5).seconds());
            double floorCpu = Math.min(p.get(base).cpuSeconds(), p.get(base + 3).cpuSeconds());
            double bitCpu = Math.min(p.get(base + 1).cpuSeconds(), p.get(base + 4).cpuSeconds());
            double comCpu = Math.min(p.get(base + 2).cpuSeconds(), p.get(base + 5).cpuSeconds());
            out.printf("%s: bitdelta / I/O floor %.2fx, compeft / I/O floor %.2fx (wall, the faster run of each); "
                            + "CPU time %.2fx and %.2fx%n", base == 0 ? "compress" : "decompress", bit / floor,
                    com / floor, bitCpu / floorCpu, comCpu / floorCpu);
        }
        return 0;
    }
}
