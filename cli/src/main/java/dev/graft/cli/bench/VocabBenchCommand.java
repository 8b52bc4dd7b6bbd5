package dev.graft.cli.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code graft bench vocab}: an embedding rebuilt for a new vocabulary against copying it. */
@Command(name = "vocab",
        optionListHeading = "%nOptions:%n",
        description = {
                // The first line alone is what 'graft bench --help' lists.
                "Time an embedding rebuilt for a merged vocabulary against copying it.",
                "",
                "Generates a bf16 embedding (default 150000 x 4096, 1.2 GB) and a second model's rows for "
                        + "--added new tokens, then writes the embedding back three ways through the same "
                        + "float32-window pipeline a merge uses, one thread: copied row by row; rebuilt for a "
                        + "union that appends the other model's tokens; rebuilt with every row moved.",
                "",
                "Needs about 2.5 x the embedding's size free in --dir; the files are deleted afterwards."},
        footer = {"", "Examples:", "  graft bench vocab --rows 20000 --width 512 --passes 1",
                "  graft bench vocab --dir /data/scratch"})
final class VocabBenchCommand implements Callable<Integer> {
    @Option(names = "--rows", paramLabel = "N", defaultValue = "150000", description = "Vocabulary rows (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--width", paramLabel = "D", defaultValue = "4096", description = "Hidden size (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--added", paramLabel = "N", defaultValue = "1000",
            description = "Tokens the other model adds (default: ${DEFAULT-VALUE}).")
    int added;

    @Option(names = "--passes", paramLabel = "N", defaultValue = "3", description = "Passes (default: ${DEFAULT-VALUE}).")
    int passes;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the files (default: the system temp folder).")
    Path dir;

    @Spec
    CommandSpec spec;

    private static double best(List<VocabBenchmark.Pass> done,
                               java.util.function.Function<VocabBenchmark.Pass, PhaseClock.Cost> phase) {
        return done.stream().mapToDouble(p -> phase.apply(p).seconds()).min().orElseThrow();
    }

    @Override
    public Integer call() throws IOException {
        if (rows < 1 || width < 1 || added < 1 || passes < 1) {
            throw new ParameterException(spec.commandLine(), "--rows, --width, --added and --passes must be at least 1");
        }
        List<VocabBenchmark.Pass> done = new VocabBenchmark(ScratchFolder.of(dir), rows, width, added, passes,
                spec.commandLine().getOut()).run();
        double copy = best(done, VocabBenchmark.Pass::copy);
        double union = best(done, VocabBenchmark.Pass::union);
        double moved = best(done, VocabBenchmark.Pass::moved);
        spec.commandLine().getOut().printf("best wall times: copy %.2f s; union rebuild %.2f s (%.2fx); every row "
                + "moved %.2f s (%.2fx)%n", copy, union, union / copy, moved, moved / copy);
        return 0;
    }
}
