package dev.graft.cli.lora;

import dev.graft.algorithms.lora.CombinationMethod;
import dev.graft.algorithms.lora.FactorSplit;
import dev.graft.algorithms.lora.LoraComposition;
import dev.graft.algorithms.lora.ModuleReport;
import dev.graft.cli.MeterProgress;
import dev.graft.cli.ProgressMeter;
import dev.graft.formats.dtype.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code graft lora combine}: adapters combined into one, as PEFT's add_weighted_adapter. */
@Command(name = "combine",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                // The first line alone is what 'graft lora --help' lists; the table's lines fit 80 columns.
                "Combine LoRA adapters into one with PEFT's add_weighted_adapter methods; negative weights negate.",
                "",
                "The methods, with Dᵢ = sᵢ·Bᵢ·Aᵢ:",
                "  cat      exact: A = [wᵢsᵢAᵢ stacked], B = [Bᵢ side by side], rank Σ rᵢ",
                "  linear   PEFT's factor sums A = Σ sign(wᵢsᵢ)√|wᵢsᵢ|·Aᵢ, B = Σ √|wᵢsᵢ|·Bᵢ",
                "           (equal ranks; has cross terms, not Σ wᵢDᵢ)",
                "  svd      Σ wᵢDᵢ re-factored by a truncated SVD at --rank",
                "  ties_svd, dare_linear_svd, dare_ties_svd, magnitude_prune_svd",
                "           TIES / DARE / pruning of the Dᵢ at --density, then SVD",
                "",
                "Unlike PEFT, the SVD kinds scale each delta once, the result has lora_alpha = r without rsLoRA "
                        + "(scaling 1), and lora_B biases are combined. modules_to_save weights (whole tensors) combine "
                        + "as W + Σ wᵢ·(Sᵢ − W) against the base model: --base, else the one the adapters record "
                        + "(graft extract records it); adapters naming none are refused unless "
                        + "--drop-modules-to-save."},
        footer = {"", "Examples:",
                "  graft lora combine ./math-lora ./code-lora --method cat --weight 0.5,0.5 \\",
                "      -o ./both",
                "  graft lora combine ./a ./b ./c --method ties_svd --density 0.3 --rank 32 \\",
                "      -o ./abc",
                "  graft lora combine ./lora --method cat --weight -1 -o ./negated"})
final class CombineCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "ADAPTER", description = "PEFT LoRA adapter folders.")
    List<Path> adapters;

    @Option(names = "--method", required = true, paramLabel = "METHOD",
            description = "cat, linear, svd, ties_svd, dare_linear_svd, dare_ties_svd or magnitude_prune_svd.")
    String method;

    @Option(names = "--weight", split = ",", paramLabel = "W",
            description = "Weight of each adapter: one for all or one per ADAPTER (default 1).")
    List<Double> weights;

    @Option(names = {"-r", "--rank"}, paramLabel = "R", description = "Rank of the SVD kinds (default: the largest input rank).")
    Integer rank;

    @Option(names = "--density", paramLabel = "D", description = "Fraction kept by ties_svd, dare_*_svd and magnitude_prune_svd.")
    Double density;

    @Option(names = "--majority-sign", paramLabel = "RULE", defaultValue = "total",
            description = "TIES sign election: total (sign of Σ Dᵢ) or frequency (sign of Σ sign(Dᵢ)) (default: ${DEFAULT-VALUE}).")
    String majoritySign;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of DARE and of the randomized SVD (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--split", paramLabel = "SIDE", defaultValue = "b",
            description = "Where the SVD kinds put S: b (B = U·S, A = Vᵀ, as PEFT), a or sqrt (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--exact", description = "Exact SVD for every module (default: randomized for large ones).")
    boolean exact;

    @Option(names = "--dtype", paramLabel = "DTYPE", description = "Dtype of the result (default: the inputs').")
    String dtype;

    @Option(names = "--base", paramLabel = "MODEL",
            description = "The adapters' base model, which modules_to_save weights combine against as "
                    + "W + Σ wᵢ·(Sᵢ − W) (default: the one the adapters record).")
    Path base;

    @Option(names = "--drop-modules-to-save", description = "Leave the adapters' modules_to_save weights out "
            + "(default: combine them against the base model).")
    boolean dropModulesToSave;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Adapter folder to write.")
    Path out;

    @Option(names = "--force", description = "Replace DIR if it is an earlier Graft output (never a folder holding other files, never an input).")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CombinationMethod m = CombinationMethod.parse(method).orElseThrow(() -> new ParameterException(
                spec.commandLine(), "unknown --method \"" + method + "\" (use " + Arrays.stream(CombinationMethod.values())
                .map(CombinationMethod::peftName).collect(Collectors.joining(", ")) + ")"));
        if (m.usesDensity() && density == null) {
            throw new ParameterException(spec.commandLine(), m.peftName() + " needs --density");
        }
        if (!m.usesDensity() && density != null) {
            throw new ParameterException(spec.commandLine(), "--density applies to pruning methods, not " + m.peftName());
        }
        if (!m.usesSvd() && rank != null) {
            throw new ParameterException(spec.commandLine(), "--rank applies to the SVD methods; " + m.peftName()
                    + " sets the rank itself");
        }
        List<Double> w = LoraCommand.weights(spec.commandLine(), weights, adapters.size());
        LoraComposition c = LoraComposition.of(m).seed(seed).exact(exact).overwrite(force).dropModulesToSave(dropModulesToSave)
                .split(switch (split.toLowerCase(Locale.ROOT)) {
                    case "sqrt" -> FactorSplit.SQRT;
                    case "a" -> FactorSplit.A;
                    case "b" -> FactorSplit.B;
                    default -> throw new ParameterException(spec.commandLine(), "--split must be sqrt, a or b");
                })
                .progress(new MeterProgress(ProgressMeter.forCommand(spec.commandLine(), quiet, "modules")));
        switch (majoritySign.toLowerCase(Locale.ROOT)) {
            case "total" -> c.frequencySign(false);
            case "frequency" -> c.frequencySign(true);
            default -> throw new ParameterException(spec.commandLine(), "--majority-sign must be total or frequency");
        }
        for (int i = 0; i < adapters.size(); i++) {
            c.adapter(adapters.get(i), w.get(i));
        }
        if (base != null) {
            c.base(base);
        }
        if (rank != null) {
            c.rank(ExtractionOptions.positive(spec.commandLine(), "--rank", rank));
        }
        if (density != null) {
            if (density < 0) {
                throw new ParameterException(spec.commandLine(), "--density must be at least 0");
            }
            c.density(density);
        }
        if (dtype != null) {
            c.dtype(DType.parse(dtype).filter(DType::isFloatingPoint).orElseThrow(() -> new ParameterException(
                    spec.commandLine(), "--dtype: unknown float dtype \"" + dtype + "\"")));
        }
        LoraComposition.CompositionReport r = c.write(out);
        List<ModuleReport> written = r.modules().stream().filter(x -> x.rank() > 0).toList();
        int min = written.stream().mapToInt(ModuleReport::rank).min().orElse(0);
        int max = written.stream().mapToInt(ModuleReport::rank).max().orElse(0);
        spec.commandLine().getOut().printf(Locale.ROOT, "Combined %d adapter%s with %s: %d modules (rank %s) into %s in "
                        + "%.1f s%n", adapters.size(), adapters.size() == 1 ? "" : "s", m.peftName(), written.size(),
                min == max ? String.valueOf(max) : min + "-" + max, r.output(), r.seconds());
        if (r.savedBase().isPresent()) {
            spec.commandLine().getOut().printf("%d modules_to_save tensor%s combined against the base model %s%s%n",
                    r.savedTensors().size(), r.savedTensors().size() == 1 ? "" : "s", r.savedBase().get(),
                    base == null ? " (recorded by the adapters; --base to give another)" : "");
        }
        if (m.usesSvd()) {
            double worst = written.stream().mapToDouble(ModuleReport::relativeError).max().orElse(0);
            spec.commandLine().getOut().printf(Locale.ROOT, "SVD relative error at most %.4f%n", worst);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
