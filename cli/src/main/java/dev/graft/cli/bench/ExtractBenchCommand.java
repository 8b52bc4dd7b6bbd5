package dev.graft.cli.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code graft bench extract}: randomized against exact SVD, and a whole-model extraction. */
@Command(name = "extract",
        optionListHeading = "%nOptions:%n",
        description = {
                "Time LoRA extraction: the randomized SVD at --rank against exact LAPACK sgesdd on one --side x --side "
                        + "bf16 delta (power-law spectrum plus noise), with the energy each keeps; then a whole "
                        + "generated bf16 Llama pair of about 1.1B parameters (TinyLlama-1.1B's shape) extracted at "
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
            b.matrix(side, rank, repeats);
        }
        if (!skipModel) {
            Path where = dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir;
            Files.createDirectories(where);
            int n = threads == null ? Math.max(1, Runtime.getRuntime().availableProcessors() / 2) : threads;
            b.model(where, ExtractBenchmark.billion(), rank, n);
        }
        return 0;
    }
}
