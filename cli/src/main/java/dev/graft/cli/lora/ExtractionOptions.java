package dev.graft.cli.lora;

import dev.graft.algorithms.lora.Extraction;
import dev.graft.algorithms.lora.ExtractionReport;
import dev.graft.algorithms.lora.FactorSplit;
import dev.graft.algorithms.lora.ModuleReport;
import dev.graft.algorithms.lora.ModuleSelection;
import dev.graft.algorithms.lora.RankRule;
import dev.graft.cli.MeterProgress;
import dev.graft.cli.ProgressMeter;
import dev.graft.cli.Table;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.shard.ByteSize;
import dev.graft.linalg.RandomizedSvdOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The options of {@code graft extract} and {@code graft lora extract-from-merge}, and the one run they share. */
final class ExtractionOptions {
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Adapter folder to write.")
    Path out;

    @Option(names = {"-r", "--rank"}, paramLabel = "R", description = "Rank of every module (default: 16 unless --energy).")
    Integer rank;

    @Option(names = "--energy", paramLabel = "E",
            description = "Per module, the smallest rank keeping this fraction of the delta's energy (0 < E <= 1).")
    Double energy;

    @Option(names = "--max-rank", paramLabel = "N",
            description = "Cap on the rank chosen by --energy (default: " + RankRule.DEFAULT_MAX_RANK + ").")
    Integer maxRank;

    @Option(names = "--split", paramLabel = "SIDE", defaultValue = "sqrt",
            description = "Where the singular values go: sqrt (B = U·√S, A = √S·Vᵀ), a (A = S·Vᵀ) or b (B = U·S) (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--exact", description = "Exact SVD (LAPACK sgesdd) for every module; default: randomized SVD above "
            + Extraction.DEFAULT_EXACT_BELOW + " rows or columns.")
    boolean exact;

    @Option(names = "--target-modules", split = ",", paramLabel = "NAME",
            description = "Only these modules (names or path suffixes, PEFT-style: q_proj,v_proj); default: every 2-D weight in the transformer blocks.")
    List<String> targetModules;

    @Option(names = "--embed-lora", description = "Factor embeddings and lm_head too, instead of saving them whole in modules_to_save.")
    boolean embedLora;

    @Option(names = "--skip-undecomposable", description = "Drop changed norms and biases instead of saving them.")
    boolean skipUndecomposable;

    @Option(names = "--skip-embeddings", description = "Drop changed embeddings and lm_head instead of saving them whole "
            + "(for serving stacks that load LoRA factors only).")
    boolean skipEmbeddings;

    @Option(names = "--prune-energy", paramLabel = "T", defaultValue = "0",
            description = "Leave out modules with ‖ΔW‖² <= T·‖W_base‖² (default: ${DEFAULT-VALUE}, only unchanged modules).")
    double pruneEnergy;

    @Option(names = "--dtype", paramLabel = "DTYPE", description = "Dtype of the factors (default: the tuned model's).")
    String dtype;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the randomized SVD's sketch (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--oversampling", paramLabel = "P", defaultValue = "10",
            description = "Extra sketch columns of the randomized SVD (default: ${DEFAULT-VALUE}).")
    int oversampling;

    @Option(names = "--power-iterations", paramLabel = "Q", defaultValue = "2",
            description = "Power iterations of the randomized SVD, at least; more sharpen slowly decaying spectra "
                    + "(default: ${DEFAULT-VALUE}).")
    int powerIterations;

    @Option(names = "--energy-tolerance", paramLabel = "T", defaultValue = "2e-4",
            description = "After --power-iterations, iterate again (up to 8 more) while one iteration still raises the "
                    + "energy a module's rank keeps by T of its delta's energy or more; 0 runs exactly Q "
                    + "(default: ${DEFAULT-VALUE}).")
    double energyTolerance;

    @Option(names = "--base-model-name", paramLabel = "NAME",
            description = "base_model_name_or_path in adapter_config.json, such as a Hub id (default: the Hub id in "
                    + "BASE's config.json _name_or_path, else BASE's absolute path).")
    String baseModelName;

    @Option(names = {"-j", "--threads"}, paramLabel = "N", description = "Modules factored at once (default: half the cores; each GEMM on one BLAS thread by default).")
    Integer threads;

    @Option(names = "--table", description = "Print every module's rank, energy and error (they are always in graft_extraction.json).")
    boolean table;

    @Option(names = "--force", description = "Replace DIR if it is an earlier Graft output (never a folder holding other files, never an input).")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    /** Extracts {@code tuned − base} as these options say and prints the report. */
    int run(CommandLine cmd, Path base, Path tuned) {
        Extraction e = Extraction.of(base, tuned).split(split(cmd)).exact(exact).pruneEnergy(pruneEnergy)
                .overwrite(force).sketch(sketch(cmd))
                .selection(ModuleSelection.defaults().targetModules(targetModules == null ? List.of() : targetModules)
                        .embedLora(embedLora).skipUndecomposable(skipUndecomposable).skipEmbeddings(skipEmbeddings))
                .progress(new MeterProgress(ProgressMeter.forCommand(cmd, quiet, "modules")));
        if (energy != null) {
            if (rank != null) {
                throw new ParameterException(cmd, "give --rank or --energy, not both");
            }
            if (!(energy > 0 && energy <= 1)) {
                throw new ParameterException(cmd, "--energy must be in (0, 1], not " + energy);
            }
            e.energy(energy, maxRank == null ? RankRule.DEFAULT_MAX_RANK : positive(cmd, "--max-rank", maxRank));
        } else {
            if (maxRank != null) {
                throw new ParameterException(cmd, "--max-rank goes with --energy");
            }
            e.rank(rank == null ? 16 : positive(cmd, "--rank", rank));
        }
        if (pruneEnergy < 0) {
            throw new ParameterException(cmd, "--prune-energy must be at least 0");
        }
        if (dtype != null) {
            e.dtype(DType.parse(dtype).filter(DType::isFloatingPoint).orElseThrow(() -> new ParameterException(cmd,
                    "--dtype: unknown float dtype \"" + dtype + "\" (use bfloat16, float16 or float32)")));
        }
        if (threads != null) {
            e.threads(positive(cmd, "--threads", threads));
        }
        if (baseModelName != null) {
            e.baseModelName(baseModelName);
        }
        ExtractionReport r = e.write(out);
        print(cmd, r);
        return 0;
    }

    private void print(CommandLine cmd, ExtractionReport r) {
        for (String w : r.warnings()) {
            cmd.getErr().println("graft: warning: " + w);
        }
        cmd.getErr().flush();
        PrintWriter o = cmd.getOut();
        List<ModuleReport> kept = r.kept();
        int minRank = kept.stream().mapToInt(ModuleReport::rank).min().orElse(0);
        int maxRank = kept.stream().mapToInt(ModuleReport::rank).max().orElse(0);
        double worst = kept.stream().mapToDouble(ModuleReport::relativeError).max().orElse(0);
        o.printf(Locale.ROOT, "Extracted %d modules (rank %s) into %s in %.1f s%n", kept.size(),
                minRank == maxRank ? String.valueOf(maxRank) : minRank + "-" + maxRank, r.output(), r.seconds());
        o.printf(Locale.ROOT, "Energy kept %.4f overall; relative error at most %.4f (module by module in %s)%n",
                r.overallEnergy(), worst, ExtractionReport.FILE_NAME);
        o.printf("Factors %s; %d tensors saved whole, %d lora_B biases; %d modules pruned%n",
                ByteSize.format(r.adapterBytes()), r.savedTensors().size(), r.biases().size(),
                r.modules().size() - kept.size());
        if (table) {
            Table t = new Table("  ", Table.Align.LEFT, Table.Align.RIGHT, Table.Align.RIGHT, Table.Align.RIGHT,
                    Table.Align.RIGHT, Table.Align.LEFT);
            t.row("module", "rank", "energy", "rel. error", "‖ΔW‖/‖W‖", "svd");
            for (ModuleReport m : r.modules()) {
                t.row(m.module(), String.valueOf(m.rank()), String.format(Locale.ROOT, "%.6f", m.energy()),
                        String.format(Locale.ROOT, "%.6f", m.relativeError()),
                        String.format(Locale.ROOT, "%.4g", m.relativeDelta()),
                        m.pruned() ? "pruned" : m.exact() ? "exact" : "randomized");
            }
            t.print(o);
        }
        o.flush();
    }

    private RandomizedSvdOptions sketch(CommandLine cmd) {
        if (oversampling < 0 || powerIterations < 0) {
            throw new ParameterException(cmd, "--oversampling and --power-iterations must be at least 0");
        }
        if (!(energyTolerance >= 0 && energyTolerance < 1)) {
            throw new ParameterException(cmd, "--energy-tolerance must be in [0, 1)");
        }
        return new RandomizedSvdOptions(1, oversampling, powerIterations, seed, energyTolerance);
    }

    private FactorSplit split(CommandLine cmd) {
        return switch (split.toLowerCase(Locale.ROOT)) {
            case "sqrt" -> FactorSplit.SQRT;
            case "a" -> FactorSplit.A;
            case "b" -> FactorSplit.B;
            default -> throw new ParameterException(cmd, "--split must be sqrt, a or b, not " + split);
        };
    }

    static int positive(CommandLine cmd, String flag, int value) {
        if (value < 1) {
            throw new ParameterException(cmd, flag + " must be at least 1, not " + value);
        }
        return value;
    }
}
