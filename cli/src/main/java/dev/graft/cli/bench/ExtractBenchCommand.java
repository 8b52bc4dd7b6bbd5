package dev.graft.cli.bench;

import dev.graft.linalg.RandomizedSvdOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code graft bench extract}: randomized against exact SVD, and a whole-model extraction. */
@Command(name = "extract",
        optionListHeading = "%nOptions:%n",
        description = {
                // The first line alone is what 'graft bench --help' lists.
                "Time LoRA extraction: randomized against exact SVD, then a whole model.",
                "",
                "The randomized SVD at --rank, with each --sketch setting, against exact LAPACK "
                        + "sgesdd on --side x --side bf16 deltas (--delta kinds), with the energy each keeps; then a whole "
                        + "generated bf16 Llama pair in TinyLlama-1.1B's shape (about 1.1 billion parameters) extracted at "
                        + "--rank.",
                "",
                "The model phase needs about 5 GB free in --dir; the files are deleted afterwards."},
        footer = {"", "Examples:", "  graft bench extract", "  graft bench extract --skip-model --side 2048"})
final class ExtractBenchCommand implements Callable<Integer> {
    @Option(names = "--rank", paramLabel = "R", defaultValue = "64", description = "Rank (default: ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--side", paramLabel = "N", defaultValue = "4096", description = "Size of the square delta (default: ${DEFAULT-VALUE}).")
    int side;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3", description = "Randomized SVD runs, best kept (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--sketch", split = ",", paramLabel = "P:Q[:T]", defaultValue = "10:2,10:2:2e-4,10:6,64:6",
            description = "Randomized SVD settings compared: P oversampling columns and exactly Q power iterations; with "
                    + ":T at least Q, more while one raises the captured energy by T or more, as graft extract "
                    + "does by default (default: ${DEFAULT-VALUE}).")
    List<String> sketches;

    @Option(names = "--delta", split = ",", paramLabel = "KIND", defaultValue = "low-rank,power-law",
            description = "Deltas compared: low-rank (rank 8 plus noise) and/or power-law (1/k spectrum plus noise) (default: ${DEFAULT-VALUE}).")
    List<String> deltas;

    @Option(names = "--oversampling", paramLabel = "P", defaultValue = "10", description = "Oversampling of the model extraction (default: ${DEFAULT-VALUE}).")
    int oversampling;

    @Option(names = "--power-iterations", paramLabel = "Q", defaultValue = "2", description = "Power iterations of the model extraction (default: ${DEFAULT-VALUE}).")
    int powerIterations;

    @Option(names = "--skip-matrix", description = "Skip the randomized/exact comparison.")
    boolean skipMatrix;

    @Option(names = "--skip-model", description = "Skip the whole-model extraction.")
    boolean skipModel;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the models (default: the system temp folder).")
    Path dir;

    @Option(names = "--threads", paramLabel = "N", description = "Modules factored at once (default: half the cores).")
    Integer threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (rank < 1 || side < rank || repeats < 1) {
            throw new ParameterException(spec.commandLine(), "need 1 <= --rank <= --side and --repeats >= 1");
        }
        ExtractBenchmark b = new ExtractBenchmark(spec.commandLine().getOut());
        if (!skipMatrix) {
            List<RandomizedSvdOptions> pq = new ArrayList<>();
            for (String sk : sketches) {
                String[] parts = sk.split(":");
                try {
                    if (parts.length < 2 || parts.length > 3) {
                        throw new IllegalArgumentException();
                    }
                    pq.add(new RandomizedSvdOptions(1, Integer.parseInt(parts[0].strip()),
                            Integer.parseInt(parts[1].strip()), 0,
                            parts.length == 3 ? Double.parseDouble(parts[2].strip()) : 0));
                } catch (RuntimeException e) {
                    throw new ParameterException(spec.commandLine(), "--sketch takes P:Q or P:Q:T, not " + sk);
                }
            }
            for (String d : deltas) {
                ExtractBenchmark.DeltaKind kind = switch (d.strip()) {
                    case "low-rank" -> ExtractBenchmark.DeltaKind.LOW_RANK;
                    case "power-law" -> ExtractBenchmark.DeltaKind.POWER_LAW;
                    default -> throw new ParameterException(spec.commandLine(), "--delta takes low-rank or power-law");
                };
                b.matrix(kind, side, rank, repeats, pq);
            }
        }
        if (!skipModel) {
            Path where = ScratchFolder.of(dir);
            int n = threads == null ? Math.max(1, Runtime.getRuntime().availableProcessors() / 2) : threads;
            b.model(where, ExtractBenchmark.billion(), rank, n,
                    new RandomizedSvdOptions(1, oversampling, powerIterations, 0));
        }
        return 0;
    }
}
