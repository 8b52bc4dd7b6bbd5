package dev.graft.cli.merge;

import dev.graft.cli.FiniteNumbers;

import dev.graft.core.method.MethodRegistry;
import dev.graft.core.method.ParameterDef;
import dev.graft.core.plan.LinesSetting;
import dev.graft.core.plan.RequestBuilder;
import dev.graft.formats.dtype.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;

/** {@code graft merge}: a merge described on the command line. */
@Command(name = "merge",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Merge models with one method, parameters given as flags.",
                "",
                "Per-model flags (--weight, --density, --gamma, --epsilon) take one value for every MODEL, or one "
                        + "value per MODEL in order (comma-separated or repeated); --epsilon of ram and ramplus_tl is "
                        + "one value for the tensor. The base model is not a MODEL unless the method interpolates it "
                        + "(slerp: give it as --base and as a MODEL, or only as --base).",
                "",
                // Replaced by the registry's method names when picocli injects the spec (see spec()).
                MergeCommand.METHODS_LINE,
                "",
                "OUT ending in .safetensors is written as one file; ending in .gguf as one GGUF file for "
                        + "llama.cpp (what graft export gguf of the folder would write, --type and --keep-f16 as "
                        + "there); anything else as a Hugging Face folder (sharded safetensors, index, config.json, tokenizer files and a model card, "
                        + "README.md). A .gguf MODEL merged with Hugging Face models is read under their names. "
                        + "Nothing appears under OUT until the merge is complete."},
        footer = {"", "Examples:",
                "  graft merge ties a.safetensors b.safetensors --base base.safetensors \\",
                "      --weight 1 --density 0.2 -o merged.safetensors",
                "  graft merge task_arithmetic ./math ./code --base ./base --weight 1,0.5 \\",
                "      --lambda 0.8 -o ./math-code",
                "  graft merge slerp ./other --base ./base --t 0.3 -o ./slerped",
                "  graft merge ties ./ft1 ./ft2 ./ft3 --base ./base --weight 1 --density 0.5 \\",
                "      --lines 0.4,0.6 --dry-run -o x",
                "  graft merge ties ./ft1+./ft1-lora ./ft2 --base ./base --density 0.5 \\",
                "      -o ./with-lora",
                "  graft merge tsv ./ft1 ./ft2 ./ft3 --base ./base --lambda 1.0 -o ./tsv",
                "  graft merge iso_cts ./ft1 ./ft2 --base ./base --common-fraction 0.8 \\",
                "      --lambda 1.5 -o ./iso-cts",
                "  graft merge task_arithmetic ./chat-ft --base ./chat-base --tokenizer union \\",
                "      --chat-template chatml -o ./chat-merged",
                "  graft merge ties ./ft1 ./ft2 --base ./base --density 0.5 -o merged.gguf \\",
                "      --type q8_0",
                "  graft merge linear ./base tuned.gguf -o ./with-gguf"})
public final class MergeCommand implements Callable<Integer> {
    /** The description line that lists the methods, filled from {@link MethodRegistry} so a new method needs no edit here. */
    static final String METHODS_LINE = "Methods: (the registered merge methods).";

    @Parameters(index = "0", paramLabel = "METHOD", description = "The merge method.")
    String method;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "MODEL",
            description = "Models to merge: model folders, .safetensors files or index files "
                    + "(*.safetensors.index.json) of sharded ones, or GGUF files; MODEL+ADAPTER reads a model with a "
                    + "PEFT LoRA adapter folder applied.")
    List<String> models;

    @Option(names = "--base", paramLabel = "MODEL",
            description = "The base model (task vectors are taken from it); MODEL+ADAPTER as for MODEL.")
    String base;

    @Option(names = "--weight", split = ",", paramLabel = "W", description = "Weight of each model (default: 1 for every model, where the method takes weights).")
    List<Double> weights;

    @Option(names = "--density", split = ",", paramLabel = "D", description = "Fraction of each delta kept (ties, dare, breadcrumbs, della).")
    List<Double> densities;

    @Option(names = "--gamma", split = ",", paramLabel = "G", description = "Fraction of largest deltas removed (breadcrumbs).")
    List<Double> gammas;

    @Option(names = "--epsilon", split = ",", paramLabel = "E",
            description = "Spread of keep probabilities by rank (della); change threshold (ram, ramplus_tl: one value).")
    List<Double> epsilons;

    @Option(names = "--lambda", paramLabel = "L", description = "Scale of the merged task vector.")
    Double lambda;

    @Option(names = "--t", paramLabel = "T", description = "Interpolation factor (slerp); distance scale (nearswap).")
    Double t;

    @Option(names = "--select-topk", paramLabel = "K", description = "sce: fraction of highest-variance positions kept.")
    Double selectTopk;

    @Option(names = "--r", paramLabel = "R", description = "ramplus_tl: strength of the rescaling of unique changes.")
    Double r;

    @Option(names = "--alpha", paramLabel = "A", description = "ramplus_tl: bound on the shared-to-unique ratio.")
    Double alpha;

    @Option(names = "--normalize", negatable = true, description = "Divide by the sum of the weights (method default if not given).")
    Boolean normalize;

    @Option(names = "--rescale", negatable = true, description = "Rescale sparsified deltas to their L1 norm (method default if not given).")
    Boolean rescale;

    @Option(names = "--filter-wise", description = "model_stock: interpolate per row.")
    Boolean filterWise;

    @Option(names = "--nuslerp-flatten", negatable = true,
            description = "nuslerp: the whole tensor is one vector (default); --no-nuslerp-flatten: each row.")
    Boolean nuslerpFlatten;

    @Option(names = "--nuslerp-row-wise", description = "nuslerp with --no-nuslerp-flatten: each column instead.")
    Boolean nuslerpRowWise;

    @Option(names = "--normalize-weights", negatable = true,
            description = "multislerp: divide the weights by their sum (default).")
    Boolean normalizeWeights;

    @Option(names = "--eps", paramLabel = "E", description = "multislerp: added to norms before dividing by them (default 1e-8).")
    Double eps;

    @Option(names = "--max-iter", paramLabel = "N", description = "karcher: most iterations (default 10).")
    Integer maxIter;

    @Option(names = "--tol", paramLabel = "T", description = "karcher: convergence tolerance (default 1e-5).")
    Double tol;

    @Option(names = "--sign-election", paramLabel = "RULE",
            description = "ties-family sign election: mergekit (weighted sum, default) or paper (unweighted trimmed deltas).")
    String signElection;

    @Option(names = "--fraction", paramLabel = "F",
            description = "tsv: share of each task vector's singular directions kept, in (0, 1] (default 1/T).")
    Double fraction;

    @Option(names = "--common-fraction", paramLabel = "F",
            description = "iso_cts: share of the directions from the task vectors' sum, in (0, 1] (default 0.8).")
    Double commonFraction;

    @Option(names = "--steps", paramLabel = "N", description = "wudi: Adam steps per matrix (default 300).")
    Integer steps;

    @Option(names = "--lr", paramLabel = "LR", description = "wudi: Adam's learning rate (default 1e-5).")
    Double lr;

    @Option(names = "--lines", paramLabel = "ALPHA,BETA",
            description = "LiNeS: scale block i's merged task vector by ALPHA + BETA*i/(L-1); ALPHA may be 'auto'.")
    String lines;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of random methods (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dtype", paramLabel = "DTYPE", description = "Round inputs to this dtype when read (mergekit's dtype).")
    String dtype;

    @Option(names = "--out-dtype", paramLabel = "DTYPE", description = "Dtype written (default: --dtype, else the base model's).")
    String outDtype;

    @Option(names = "--tokenizer", paramLabel = "SOURCE",
            description = "Output vocabulary: base (the base's tokenizer, trimmed to its vocab_size), union (the "
                    + "base's with every model's new tokens appended) or one MODEL's; embeddings are rebuilt for it "
                    + "and the merged tokenizer files written (mergekit's tokenizer_source). Default: the base's "
                    + "files copied, embeddings merged as they are.")
    String tokenizer;

    @Option(names = "--chat-template", paramLabel = "T",
            description = "Chat template written into tokenizer_config.json: auto (the most common among the "
                    + "models), alpaca, chatml, llama3, mistral, or a Jinja template.")
    String chatTemplate;

    @picocli.CommandLine.Mixin
    OutputOptions output;

    CommandSpec spec;

    /**
     * Picocli injects the spec when it builds the command: the methods line of the description is filled in then,
     * from the methods registered through ServiceLoader, so help and the registry cannot disagree.
     */
    @Spec
    void spec(CommandSpec value) {
        this.spec = value;
        String[] lines = value.usageMessage().description();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals(METHODS_LINE)) {
                lines[i] = "Methods: " + String.join(", ", MethodRegistry.load().names()) + ". Arithmetic runs in "
                        + "float32 (float64 per element where a method says so) and is rounded once to the output "
                        + "dtype; the SVD merges (tsv, iso_c, iso_cts, wudi) hold each matrix of every model at once.";
            }
        }
        value.usageMessage().description(lines);
    }

    @Override
    public Integer call() {
        // Problems name this command's flags (--weight), not recipe keys.
        RequestBuilder b = new RequestBuilder(method).vocabulary(new FlagVocabulary());
        if (base != null) {
            b.base(ModelArgument.parse(spec.commandLine(), "--base", base));
        }
        // mergekit's YAML requires every weight; on a command line, "no --weight" means 1 for each model.
        List<Double> w = weights == null && needsWeight() ? List.of(1.0) : weights;
        Set<String> globals = MethodRegistry.load().find(method)
                .map(m -> m.globalParameters().stream().map(ParameterDef::name).collect(Collectors.toSet()))
                .orElse(Set.of());
        Map<String, List<Double>> perModel = new LinkedHashMap<>();
        perModel.put("weight", w);
        perModel.put("density", densities);
        perModel.put("gamma", gammas);
        perModel.put("epsilon", epsilons);
        for (int i = 0; i < models.size(); i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            for (Map.Entry<String, List<Double>> flag : perModel.entrySet()) {
                if (!globals.contains(flag.getKey())) {
                    put(p, flag.getKey(), flag.getValue(), i);
                }
            }
            b.model(ModelArgument.parse(spec.commandLine(), "MODEL", models.get(i)), p);
        }
        // A per-model flag whose parameter is global for this method (ram's epsilon) sets it once.
        for (Map.Entry<String, List<Double>> flag : perModel.entrySet()) {
            if (globals.contains(flag.getKey())) {
                putGlobal(b, flag.getKey(), single(flag.getKey(), flag.getValue()));
            }
        }
        putGlobal(b, "lambda", lambda);
        putGlobal(b, "t", t);
        putGlobal(b, "select_topk", selectTopk);
        putGlobal(b, "r", r);
        putGlobal(b, "alpha", alpha);
        putGlobal(b, "normalize", normalize);
        putGlobal(b, "rescale", rescale);
        putGlobal(b, "filter_wise", filterWise);
        putGlobal(b, "sign_election", signElection);
        putGlobal(b, "nuslerp_flatten", nuslerpFlatten);
        putGlobal(b, "nuslerp_row_wise", nuslerpRowWise);
        putGlobal(b, "normalize_weights", normalizeWeights);
        putGlobal(b, "eps", eps);
        putGlobal(b, "max_iter", maxIter);
        putGlobal(b, "tol", tol);
        putGlobal(b, "fraction", fraction);
        putGlobal(b, "common_fraction", commonFraction);
        putGlobal(b, "steps", steps);
        putGlobal(b, "lr", lr);
        if (dtype != null) {
            b.dtype(dtype("--dtype", dtype));
        }
        if (outDtype != null) {
            b.outDtype(dtype("--out-dtype", outDtype));
        }
        if (lines != null) {
            b.lines(lines());
        }
        b.seed(seed);
        if (tokenizer != null) {
            b.tokenizerSource(tokenizerSource());
        }
        if (chatTemplate != null) {
            b.chatTemplate(chatTemplate);
        }
        return output.execute(spec.commandLine(), b.build());
    }

    /** {@code --tokenizer}'s value: base, union, or one of the models exactly as typed. */
    private String tokenizerSource() {
        if (tokenizer.equals("base") || tokenizer.equals("union") || models.contains(tokenizer)
                || tokenizer.equals(base)) {
            return tokenizer;
        }
        throw new ParameterException(spec.commandLine(), "--tokenizer " + tokenizer + ": expected base, union or "
                + "one of the models as given (" + String.join(", ", models) + ")");
    }

    /** Whether the method has a per-model weight without a default (an unknown method is reported by the plan). */
    private boolean needsWeight() {
        return MethodRegistry.load().find(method).map(m -> m.modelParameters().stream()
                .anyMatch(d -> d.name().equals("weight") && d.required())).orElse(false);
    }

    private void put(Map<String, Object> p, String name, List<Double> values, int i) {
        if (values == null) {
            return;
        }
        if (values.size() != 1 && values.size() != models.size()) {
            throw new ParameterException(spec.commandLine(), "--" + name + " takes 1 value or one per MODEL ("
                    + models.size() + "), got " + values.size());
        }
        p.put(name, values.size() == 1 ? values.getFirst() : values.get(i));
    }

    /** The one value of a per-model flag given for a global parameter; null when the flag is absent. */
    private Double single(String name, List<Double> values) {
        if (values == null) {
            return null;
        }
        if (values.size() != 1) {
            throw new ParameterException(spec.commandLine(), "--" + name + " takes 1 value with " + method
                    + " (one for the tensor, not per MODEL), got " + values.size());
        }
        return values.getFirst();
    }

    private static void putGlobal(RequestBuilder b, String name, Object value) {
        if (value != null) {
            b.global(name, value);
        }
    }

    private DType dtype(String flag, String name) {
        return DType.parse(name).filter(d -> d.isFloatingPoint())
                .orElseThrow(() -> new ParameterException(spec.commandLine(), flag + ": unknown float dtype \"" + name
                        + "\" (use bfloat16, float16 or float32)"));
    }

    private LinesSetting lines() {
        String[] parts = lines.split(",", -1);
        if (parts.length > 2) {
            throw new ParameterException(spec.commandLine(), "--lines takes ALPHA or ALPHA,BETA, got " + lines);
        }
        OptionalDouble alpha = "auto".equals(parts[0].strip()) ? OptionalDouble.empty()
                : OptionalDouble.of(FiniteNumbers.parse(spec.commandLine(), "--lines", parts[0]));
        double beta = parts.length == 2 ? FiniteNumbers.parse(spec.commandLine(), "--lines", parts[1]) : 0;
        return new LinesSetting(alpha, beta);
    }
}
