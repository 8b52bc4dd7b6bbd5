package dev.graft.cli.bench;

import dev.graft.cli.SizeOption;
import dev.graft.core.exec.MergeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code graft bench merge}: TIES against the I/O floor, with peak resident memory. */
@Command(name = "merge",
        optionListHeading = "%nOptions:%n",
        description = {
                // The first line alone is what 'graft bench --help' lists.
                "Time a TIES merge against the I/O floor of the same merge, with peak memory.",
                "",
                "Generates a bf16 base and fine-tunes, then times a TIES merge against the I/O floor of the same "
                        + "merge (every input read as float32 and the output written, no math), through the same "
                        + "executor, reporting the peak resident memory (VmHWM) of each phase.",
                "",
                "Needs (fine-tunes + 2) x --size free in --dir; the files are deleted afterwards."},
        footer = {"", "Examples:", "  graft bench merge", "  graft bench merge --size 8GB --dir /data/scratch"})
final class MergeBenchCommand implements Callable<Integer> {
    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "2GB", description = "Size of each model (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--fine-tunes", paramLabel = "N", defaultValue = "3", description = "Fine-tunes merged (default: ${DEFAULT-VALUE}).")
    int fineTunes;

    @Option(names = "--density", paramLabel = "D", defaultValue = "0.2", description = "TIES density (default: ${DEFAULT-VALUE}).")
    double density;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the files (default: the system temp folder).")
    Path dir;

    @Option(names = "--threads", paramLabel = "N", description = "Tensors merged at once (default: all cores).")
    Integer threads;

    @Option(names = "--cache", paramLabel = "SIZE",
            description = "Heap for keeping decoded inputs between a merge's passes; 0 re-reads the files on every "
                    + "pass (default: as graft merge, 671 MB or five eighths of the heap, whichever is smaller).")
    String cache;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        long bytes = SizeOption.parse(spec.commandLine(), "--size", size);
        long cacheBytes = cache == null ? MergeOptions.defaults().cacheBytes()
                : cache.strip().equals("0") ? 0 : SizeOption.parse(spec.commandLine(), "--cache", cache);
        if (fineTunes < 1) {
            throw new ParameterException(spec.commandLine(), "--fine-tunes must be at least 1");
        }
        Path where = ScratchFolder.of(dir);
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        List<MergeBenchmark.Phase> phases =
                new MergeBenchmark(where, bytes, fineTunes, density, n, cacheBytes, spec.commandLine().getOut()).run();
        // Each phase runs twice, alternating: writes on shared or virtual machines vary run to run.
        double floor = Math.min(phases.get(0).seconds(), phases.get(2).seconds());
        double ties = Math.min(phases.get(1).seconds(), phases.get(3).seconds());
        spec.commandLine().getOut().printf("ties / I/O floor: %.2fx (the faster run of each)%n", ties / floor);
        double floorCpu = Math.min(phases.get(0).cpuSeconds(), phases.get(2).cpuSeconds());
        double tiesCpu = Math.min(phases.get(1).cpuSeconds(), phases.get(3).cpuSeconds());
        if (floorCpu > 0) {
            spec.commandLine().getOut().printf("ties / I/O floor in CPU time: %.2fx%n", tiesCpu / floorCpu);
        }
        return 0;
    }
}
