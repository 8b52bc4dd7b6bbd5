package dev.graft.cli;

import dev.graft.evaluation.experiment.Evaluation;
import dev.graft.evaluation.experiment.EvaluationConfig;
import dev.graft.evaluation.experiment.EvaluationResults;
import dev.graft.evaluation.merge.ScratchFolder;
import dev.graft.evaluation.report.Interval;
import dev.graft.evaluation.report.MarkdownReport;
import dev.graft.evaluation.report.Plots;
import dev.graft.evaluation.reconstruct.CompressedDelta;
import dev.graft.evaluation.reconstruct.DeltaReconstruction;
import dev.graft.evaluation.reconstruct.PhloraReconstruction;
import dev.graft.evaluation.report.ResultsFile;
import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.io.OutputExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code graft eval}: the evaluation behind docs/evaluation.md. */
@Command(name = "eval",
        optionListHeading = "%nOptions:%n",
        description = {
                "Measure what merges do to accuracy on a Llama trained in Java.",
                "",
                "A byte-level Llama decoder (107,200 parameters) is pre-trained on grammar text and synthetic text "
                        + "tasks, fine-tuned on each of 8 tasks, and the fine-tunes are merged as Hugging Face folders "
                        + "through Graft's Merge API with every method that merges any number of models, each with "
                        + "and without LiNeS, at 2, 4 and 8 tasks. Hyper-parameters are chosen on a validation split "
                        + "and reported on a test split (greedy exact match), over several seeds with 95%% "
                        + "confidence intervals; also task negation, and PHLoRA adapters and compressed deltas "
                        + "(BitDelta, Delta-CoMe, ComPEFT, low rank) at several sizes in place of each fine-tune. "
                        + "Writes a Markdown report, PNG charts and the results as JSON.",
                "",
                "docs/llama-evaluation.md gives the measured run times and how the configuration was chosen."},
        footer = {"", "Examples:",
                "  graft eval --force     # the full run; replaces docs/evaluation.md",
                "  graft eval --quick --doc /tmp/eval.md",
                "  graft eval --seeds 1 --doc /tmp/one-seed.md",
                "  graft eval --threads 4"})
final class EvalCommand implements Callable<Integer> {
    private static final String RESULTS = "results.json";
    private static final List<String> CHARTS = List.of("merging.png", "merging-lines.png", "accuracy-vs-bits.png");

    @Option(names = "--quick", description = "One seed, 2 and 3 tasks, short training: a smoke test in minutes.")
    boolean quick;

    @Option(names = "--seeds", paramLabel = "N", description = "Run seeds 1 to N at every task count (default: "
            + "seeds 1 to 5, and 6 to 10 at 4 tasks only; 1 with --quick).")
    Integer seeds;

    @Option(names = "--doc", paramLabel = "FILE", defaultValue = "docs/evaluation.md",
            description = "Where the Markdown report goes (default: ${DEFAULT-VALUE}); the charts go to a folder "
                    + "beside it named after it (docs/evaluation/).")
    Path doc;

    @Option(names = "--discussion", paramLabel = "FILE",
            description = "Hand-written discussion appended to the report (default: discussion.md in the charts' "
                    + "folder, when it exists).")
    Path discussion;

    @Option(names = "--from", paramLabel = "JSON",
            description = "Render the report and charts again from the results file of an earlier run "
                    + "(results.json in the charts' folder) instead of running the evaluation, e.g. after editing "
                    + "the discussion.")
    Path from;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for training and scoring (default: the "
            + "cores, at most 8): seeds run side by side, one thread each; the results do not depend on it.")
    Integer threads;

    @Option(names = "--force", description = "Replace the report, charts and results file if they exist.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int t = threads != null ? threads : Math.min(8, Runtime.getRuntime().availableProcessors());
        EvaluationConfig config = quick ? EvaluationConfig.quick(t) : EvaluationConfig.full(t);
        if (seeds != null) {
            config = config.withSeeds(seeds);
        }
        Path docFile = doc.toAbsolutePath();
        String name = docFile.getFileName().toString().replaceFirst("\\.md$", "");
        Path images = docFile.resolveSibling(name);
        refuseToReplace(docFile, images);
        EvaluationResults r;
        if (from != null) {
            r = ResultsFile.read(from);
            config = r.config();
        } else {
            Path work = createTempDir();
            List<DeltaReconstruction> standIns = new ArrayList<>(
                    quick ? PhloraReconstruction.quick() : PhloraReconstruction.standard());
            standIns.addAll(quick ? CompressedDelta.quick() : CompressedDelta.standard());
            try {
                r = new Evaluation(config, standIns, line -> err.println("graft: eval: " + line)).run(work)
                        .withCommand("graft eval" + (quick ? " --quick" : "")
                                + (seeds != null ? " --seeds " + seeds : "") + " --threads " + t);
            } finally {
                // also when the run fails: the folder may be in RAM (/dev/shm)
                deleteQuietly(work);
            }
        }

        createDirectories(images);
        Plots.accuracyVsTasks(r, false, images.resolve(CHARTS.get(0)));
        Plots.accuracyVsTasks(r, true, images.resolve(CHARTS.get(1)));
        if (!r.reconstructions().isEmpty()) {
            Plots.accuracyVsBits(r.reconstructions(), images.resolve(CHARTS.get(2)));
        }
        if (from == null) {
            ResultsFile.write(r, images.resolve(RESULTS), force);
        }
        Path disc = discussion != null ? discussion : images.resolve("discussion.md");
        write(docFile, MarkdownReport.render(r, name, read(disc)), force);

        out.printf("%-24s", "normalized accuracy (%)");
        config.taskCounts().forEach(n -> out.printf("%16s", n + " tasks"));
        out.println();
        for (String m : r.methods()) {
            out.printf("%-24s", m);
            for (int n : config.taskCounts()) {
                out.printf("%16s", Interval.of(r.testScores(m, n)).percent());
            }
            out.println();
        }
        String moreAt = config.mergeOnlySeeds().isEmpty() ? "" : String.format(" (%d at %d tasks)",
                config.seedsAt(config.mergeOnlyTasks()).size(), config.mergeOnlyTasks());
        out.printf("%s %d seeds%s in %.0f s; report in %s, charts in %s%n", from != null ? "Rendered the results of"
                : "Evaluated", config.seeds().size(), moreAt, r.seconds(), doc, images);
        return 0;
    }

    private static String read(Path file) {
        if (!Files.exists(file)) {
            return "";
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new FileAccessException(file, "cannot read the discussion", e);
        }
    }

    /**
     * Before the minutes of work: a report, chart or results file already there stays unless {@code --force}
     * says otherwise (an earlier run's figures, or a hand-edited report, are not to be lost by accident).
     */
    private void refuseToReplace(Path docFile, Path images) {
        if (force) {
            return;
        }
        List<Path> written = new ArrayList<>(List.of(docFile));
        for (String f : CHARTS) {
            written.add(images.resolve(f));
        }
        if (from == null) {
            written.add(images.resolve(RESULTS));
        }
        for (Path f : written) {
            if (Files.exists(f)) {
                throw new OutputExistsException(f);
            }
        }
    }

    private static void write(Path file, String text, boolean overwrite) {
        createDirectories(file.toAbsolutePath().getParent());
        AtomicFile.writeString(file, text, overwrite);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FileAccessException(dir, "cannot create the folder", e);
        }
    }

    private static Path createTempDir() {
        try {
            return ScratchFolder.create("graft-eval-");
        } catch (IOException e) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            throw new FileAccessException(tmp, "cannot create a temporary folder", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // the seeds' folders are already gone; an empty temp folder left behind is harmless
        }
    }
}
