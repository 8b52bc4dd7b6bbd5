package dev.graft.cli.bench;

import dev.graft.cli.SizeOption;
import dev.graft.core.exec.MergeOptions;
import dev.graft.formats.shard.ByteSize;
import dev.graft.formats.tensor.TensorSpec;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code graft bench merge}: a merge method against the raw and executor floors, with peak resident memory. */
@Command(name = "merge",
        optionListHeading = "%nOptions:%n",
        description = {
                // The first line alone is what 'graft bench --help' lists.
                "Time a merge against the raw I/O floor and the executor floor, with peak memory.",
                "",
                "Generates a bf16 base and fine-tunes, then times a merge (TIES at density 0.2 unless --method says "
                        + "otherwise) against two floors in the same run: the raw floor (every input file read into "
                        + "nothing, one file of the output's size written and fsynced: cat and cp, no decoding) and "
                        + "the executor floor (every input decoded to float32 and the base written back through the "
                        + "same executor, no math). Each phase runs twice, alternating, reporting wall time, CPU time "
                        + "and the peak resident memory (VmHWM). All in one warm JVM; scripts/bench-cold.sh times "
                        + "fresh graft processes.",
                "",
                "--family llama (the default) writes a Llama-shaped family whose fine-tunes are bf16 roundings of "
                        + "base + a small delta, so |delta| ties as in real checkpoints (see graft bench family); "
                        + "--family square writes 4096x4096 matrices of --size per model with dense, rarely tied "
                        + "deltas.",
                "",
                "Needs (fine-tunes + 2) x the model size free in --dir; the files are deleted afterwards."},
        footer = {"", "Examples:", "  graft bench merge", "  graft bench merge --preset large --dir /data/scratch",
                "  graft bench merge --method task_arithmetic --changed 0.1",
                "  graft bench merge --family square --size 8GB --dir /data/scratch"})
final class MergeBenchCommand implements Callable<Integer> {
    @Option(names = "--family", paramLabel = "KIND", defaultValue = "llama",
            description = "llama (Llama-shaped, tied deltas; shape from --preset and the shape options) or square "
                    + "(4096x4096 matrices, --size per model) (default: ${DEFAULT-VALUE}).")
    String family;

    @Mixin
    LlamaFamilyOptions shape;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "2GB", description = "--family square: size of each model (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--fine-tunes", paramLabel = "N", defaultValue = "3", description = "Fine-tunes merged (default: ${DEFAULT-VALUE}).")
    int fineTunes;

    @Option(names = "--method", paramLabel = "NAME", defaultValue = "ties", description = "Merge method timed, every model at weight 1 (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--density", paramLabel = "D", defaultValue = "0.2", description = "Density, for methods that take one (default: ${DEFAULT-VALUE}).")
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
        long cacheBytes = cache == null ? MergeOptions.defaults().cacheBytes()
                : cache.strip().equals("0") ? 0 : SizeOption.parse(spec.commandLine(), "--cache", cache);
        if (fineTunes < 1) {
            throw new ParameterException(spec.commandLine(), "--fine-tunes must be at least 1");
        }
        MergeBenchmark.Inputs inputs = switch (family.strip().toLowerCase(Locale.ROOT)) {
            case "llama" -> llama(shape.family(spec, fineTunes), shape.base(spec), fineTunes);
            case "square" -> square(SizeOption.parse(spec.commandLine(), "--size", size), fineTunes);
            default -> throw new ParameterException(spec.commandLine(),
                    "--family must be llama or square, not '" + family + "'");
        };
        Path where = ScratchFolder.of(dir);
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        PrintWriter out = spec.commandLine().getOut();
        List<MergeBenchmark.Phase> p;
        try {
            p = new MergeBenchmark(where, inputs, method, density, n, cacheBytes, out).run();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--method: " + e.getMessage());
        }
        // Two rounds of raw floor, executor floor, method: the faster run of each, as writes on shared or virtual
        // machines vary run to run.
        int k = MergeBenchmark.PHASES.size();
        double raw = Math.min(p.get(0).seconds(), p.get(k).seconds());
        double executor = Math.min(p.get(1).seconds(), p.get(k + 1).seconds());
        double merge = Math.min(p.get(2).seconds(), p.get(k + 2).seconds());
        out.printf("%s / raw floor: %.2fx, / executor floor: %.2fx (wall, the faster run of each)%n", method,
                merge / raw, merge / executor);
        double executorCpu = Math.min(p.get(1).cpuSeconds(), p.get(k + 1).cpuSeconds());
        double mergeCpu = Math.min(p.get(2).cpuSeconds(), p.get(k + 2).cpuSeconds());
        // A tiny family can finish within one tick of the process CPU clock: say so rather than divide by zero.
        if (executorCpu > 0) {
            out.printf("%s / executor floor in CPU time: %.2fx%n", method, mergeCpu / executorCpu);
        } else {
            out.printf("%s / executor floor in CPU time: not measurable (under the CPU clock's resolution)%n", method);
        }
        return 0;
    }

    private static MergeBenchmark.Inputs llama(FineTuneFamily family, TinyModel base, int fineTunes) {
        return new MergeBenchmark.Inputs() {
            @Override
            public List<Path> write(Path dir) {
                FineTuneFamily.Folders f = family.writeTo(dir);
                List<Path> models = new ArrayList<>(List.of(f.base()));
                models.addAll(f.fineTunes());
                return models;
            }

            @Override
            public String describe() {
                return String.format("a Llama-shaped bf16 base + %d fine-tunes: %,d parameters in %d tensors, %s each",
                        fineTunes, base.parameterCount(),
                        base.tensors().size(), ByteSize.format(2 * base.parameterCount()));
            }
        };
    }

    private static MergeBenchmark.Inputs square(long bytes, int fineTunes) {
        List<TensorSpec> specs = SyntheticCheckpoint.squareLayers(bytes);
        return new MergeBenchmark.Inputs() {
            @Override
            public List<Path> write(Path dir) throws IOException {
                Files.createDirectories(dir);
                List<Path> files = new ArrayList<>();
                for (int m = 0; m <= fineTunes; m++) {
                    Path f = dir.resolve(m == 0 ? "base.safetensors" : "ft" + m + ".safetensors");
                    SyntheticCheckpoint.write(f, specs, m);
                    files.add(f);
                }
                return files;
            }

            @Override
            public String describe() {
                return String.format("a bf16 base + %d fine-tunes: %d tensors of %dx%d, %s each", fineTunes,
                        specs.size(), SyntheticCheckpoint.SIDE, SyntheticCheckpoint.SIDE,
                        ByteSize.format(specs.stream().mapToLong(TensorSpec::byteSize).sum()));
            }
        };
    }
}
