package dev.graft.cli;

import dev.graft.algorithms.Merge;
import dev.graft.core.exec.MergeReport;
import dev.graft.core.inspect.Inspection;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.FileAccessException;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;
import dev.graft.testmodels.TinyModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code graft demo}: a newcomer's first command, running Graft on generated models. */
@Command(name = "demo",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Try Graft on generated models: inspect, diff and merge, step by step.",
                "",
                "Generates a tiny Llama-shaped base model and two fine-tunes of it (bf16, about 230 kB each), "
                        + "then inspects the base, diffs it against the first fine-tune, merges both fine-tunes with "
                        + "TIES and diffs the merge, explaining each step. "
                        + "Needs no downloads.",
                "",
                "The models go to a temporary folder that is deleted afterwards, unless --keep or --dir is given."},
        footer = {"", "Examples:",
                "  graft demo",
                "  graft demo --dir ./demo-models",
                "  graft diff ./demo-models/ft1 ./demo-models/ft2"})
final class DemoCommand implements Callable<Integer> {
    /** Rows of the diff table the demo shows: enough to see the pattern, short enough to read. */
    private static final int DIFF_ROWS = 8;

    @Option(names = "--dir", paramLabel = "DIR", description = "Write the models into DIR (created if needed) and keep them.")
    Path dir;

    @Option(names = "--keep", description = "Keep the temporary folder and print where it is.")
    boolean keep;

    @Option(names = "--force", description = "Replace model files left in DIR by an earlier run.")
    boolean force;

    @Spec
    CommandSpec spec;

    /** The demo family: small enough to generate instantly, shaped like a real Llama checkpoint. */
    static TinyModel baseModel() {
        return TinyLlama.builder().layers(2).hidden(64).intermediate(128).vocab(256).heads(4)
                .dtype(DType.BF16).seed(1).build();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path root = dir != null ? dir : createTempDir();
        try {
            run(root, out);
        } finally {
            if (dir == null && !keep) {
                deleteTree(root);
            }
        }
        out.println();
        if (dir == null && !keep) {
            out.println("Done. The models were deleted; run 'graft demo --dir DIR' to keep them and try");
            out.println("inspect, diff and merge on them yourself.");
        } else {
            out.println("Done. The models are in " + root + "; try for example:");
            out.println("  graft inspect " + root.resolve("ft2") + " --filter mlp");
            out.println("  graft diff " + root.resolve("ft1") + " " + root.resolve("ft2"));
            out.println("  graft merge slerp " + root.resolve("ft1") + " --base " + root.resolve("base")
                    + " --t 0.3 -o " + root.resolve("slerp.safetensors"));
        }
        return 0;
    }

    private void run(Path root, PrintWriter out) {
        TinyModel model = baseModel();
        FineTuneFamily family = FineTuneFamily.of(model).fineTunes(2).seed(2).overwrite(force);
        FineTuneFamily.Folders f = family.writeTo(root);

        out.println("Step 1. Generate a tiny model family");
        out.println("  A Llama-shaped base model (2 layers, hidden size 64, bf16, "
                + HumanUnits.count(model.parameterCount()) + " parameters) and two");
        out.println("  fine-tunes of it. Each fine-tune is the base plus a rank-" + family.profile().rank()
                + " change, a little noise and a few");
        out.println("  large outliers per weight matrix, the way real fine-tuning deltas look. Written to:");
        for (Path p : List.of(f.base(), f.fineTunes().get(0), f.fineTunes().get(1))) {
            out.println("    " + p);
        }
        out.println();

        out.println("Step 2. Look inside the base model: files, tensors, parameter count, architecture");
        out.println("  $ graft inspect " + f.base());
        out.println();
        InspectCommand.print(Inspection.of(f.base()), false, true, null, out);
        out.println();

        out.println("Step 3. See what the first fine-tune changed, tensor by tensor");
        out.println("  ||B-A||/||A|| is how far a tensor moved relative to its size; MAX |B-A| shows the outliers.");
        out.println("  $ graft diff " + f.base() + " " + f.fineTunes().get(0) + " --top " + DIFF_ROWS);
        out.println();
        DiffCommand.print(f.base(), f.fineTunes().get(0), false, DIFF_ROWS, out, spec.commandLine().getErr());
        out.println();

        Path merged = root.resolve("merged");
        out.println("Step 4. Merge both fine-tunes into the base with TIES");
        out.println("  Each task vector (fine-tune minus base) keeps its largest half, a sign is elected per weight,");
        out.println("  and the agreeing entries are averaged. The output is a Hugging Face folder with config,");
        out.println("  a model card and the recipe that reproduces it.");
        out.println("  $ graft merge ties " + f.fineTunes().get(0) + " " + f.fineTunes().get(1) + " --base " + f.base()
                + " --weight 1 --density 0.5 -o " + merged + (force ? " --force" : ""));
        out.println();
        MergeReport report = Merge.ties().base(f.base()).add(f.fineTunes().get(0), 1.0, 0.5)
                .add(f.fineTunes().get(1), 1.0, 0.5).overwrite(force).write(merged);
        out.printf("Merged %d tensors into %s%n", report.tensors(), report.output());
        out.println();

        out.println("Step 5. Compare the merge with the base: it carries the changes of both fine-tunes (their");
        out.println("  largest, sign-agreeing entries), so it moves further than either one alone did in step 3.");
        out.println("  $ graft diff " + f.base() + " " + merged + " --top " + DIFF_ROWS);
        out.println();
        DiffCommand.print(f.base(), merged, false, DIFF_ROWS, out, spec.commandLine().getErr());
    }

    private static Path createTempDir() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            return Files.createTempDirectory(tmp, "graft-demo-");
        } catch (IOException e) {
            throw new FileAccessException(tmp, "cannot create a temporary folder", e);
        }
    }

    /** Deletes the demo's own temporary folder (never a user-given one). */
    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new FileAccessException(root, "cannot delete the demo's temporary folder", e);
        }
    }
}
