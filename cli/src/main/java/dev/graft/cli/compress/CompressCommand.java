package dev.graft.cli.compress;


import dev.graft.algorithms.compress.BitDelta;
import dev.graft.algorithms.compress.ComPeft;
import dev.graft.algorithms.compress.Compression;
import dev.graft.algorithms.compress.CompressionReport;
import dev.graft.algorithms.compress.Dare;
import dev.graft.algorithms.compress.DeltaCoMe;
import dev.graft.algorithms.compress.DeltaCodec;
import dev.graft.algorithms.compress.LowRank;
import dev.graft.cli.FiniteNumbers;
import dev.graft.cli.JsonOutput;
import dev.graft.cli.MeterProgress;
import dev.graft.cli.ProgressMeter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code graft compress}: a fine-tune's delta against its base, compressed into one safetensors file. */
@Command(name = "compress",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Compress a fine-tune's delta against its base into one file.",
                "",
                "The delta is written as one .safetensors file, to be applied to the base again with "
                        + "'graft decompress'.",
                "",
                "Methods (every 2-D weight matrix; norms, biases, small and new tensors are",
                "stored losslessly):",
                "  bitdelta   sign bits and one scale (mean|D|) per matrix: 1 bit per parameter",
                "  deltacome  SVD; singular vectors at 8 bits (top 2), 3 bits (next 32) and",
                "             2 bits (the rest), within --bits-per-param",
                "  compeft    the top --density of |D| kept as +-alpha*std(D)",
                "  dare       each entry dropped with probability --drop, the rest rescaled",
                "  lowrank    rank-r SVD factors U*sqrt(S) and sqrt(S)*V^T in bf16",
                "",
                "Prints the compression ratio against the delta stored in bf16 and against the fine-tuned model, and "
                        + "every tensor's relative reconstruction error ||D - D^|| / ||D||; 'graft inspect DELTA' "
                        + "shows the same later."},
        footer = {"", "Examples:",
                "  graft compress bitdelta ./base ./instruct -o instruct.delta.safetensors",
                "  graft compress deltacome ./base ./tuned -o d.safetensors --bits-per-param 1",
                "  graft compress compeft ./base ./tuned -o d.safetensors --density 0.05",
                "  graft compress dare ./base ./tuned -o d.safetensors --drop 0.9 --seed 1",
                "  graft compress lowrank ./base ./tuned -o d.safetensors --rank 64",
                "  graft decompress ./base d.safetensors -o ./restored"})
public final class CompressCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "METHOD", description = "bitdelta, deltacome, compeft, dare or lowrank.")
    String method;

    @Parameters(index = "1", paramLabel = "BASE", description = "The base model (file, index or folder).")
    Path base;

    @Parameters(index = "2", paramLabel = "TUNED", description = "The fine-tuned model.")
    Path tuned;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DELTA", description = "The .safetensors file to write.")
    Path out;

    @Option(names = "--force", description = "Replace DELTA if it exists (never an input).")
    boolean force;

    @Option(names = "--allow-nonfinite", description = "Compress models holding NaN or infinite values instead of "
            + "refusing them.")
    boolean allowNonFinite;

    @Option(names = {"-j", "--threads"}, paramLabel = "N", description = "Tensors compressed at once (default: all cores).")
    Integer threads;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Option(names = "--lossless", paramLabel = "REGEX", description = "Store tensors whose name contains a match "
            + "losslessly, e.g. 'embed_tokens|lm_head' as BitDelta's code does.")
    String lossless;

    @Option(names = "--json", description = "Print the report as one JSON document.")
    boolean json;

    @Option(names = "--tensors", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "List every tensor in the report (default); --no-tensors prints the summary only.")
    boolean tensors;

    @Option(names = "--bits-per-param", paramLabel = "B", description = "deltacome, lowrank: budget in bits per "
            + "matrix element (default 1).")
    Double bitsPerParam;

    @Option(names = "--bits", paramLabel = "LIST", description = "deltacome: bit widths of the singular-vector "
            + "groups, largest singular values first (default 8,3,2).")
    String bits;

    @Option(names = "--counts", paramLabel = "LIST", description = "deltacome: triplets in each group but the last "
            + "(default 2,32).")
    String counts;

    @Option(names = "--group-size", paramLabel = "G", description = "deltacome: elements sharing one quantization "
            + "step (default 128).")
    Integer groupSize;

    @Option(names = "--rank", paramLabel = "R", description = "lowrank: the rank (instead of --bits-per-param).")
    Integer rank;

    @Option(names = "--density", paramLabel = "D", description = "compeft: fraction of entries kept (default 0.1).")
    Double density;

    @Option(names = "--alpha", paramLabel = "A", description = "compeft: kept entries become +-A*std(D); 'auto' "
            + "(default) picks the A with the least error.")
    String alpha;

    @Option(names = "--drop", paramLabel = "P", description = "dare: drop probability (default 0.9).")
    Double drop;

    @Option(names = "--seed", paramLabel = "S", description = "dare, deltacome, lowrank: random seed (default 0).")
    Long seed;

    @Spec
    CommandSpec spec;

    /** Which method options each method takes. */
    private static final Map<String, List<String>> ACCEPTS = Map.of(
            BitDelta.METHOD, List.of(),
            DeltaCoMe.METHOD, List.of("--bits-per-param", "--bits", "--counts", "--group-size", "--seed"),
            ComPeft.METHOD, List.of("--density", "--alpha"),
            Dare.METHOD, List.of("--drop", "--seed"),
            LowRank.METHOD, List.of("--rank", "--bits-per-param", "--seed"));

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        DeltaCodec codec = codec(cmd);
        Compression c = Compression.with(codec).base(base).tuned(tuned).overwrite(force).allowNonFinite(allowNonFinite)
                .progress(new MeterProgress(ProgressMeter.forCommand(cmd, quiet || json, "tensors")));
        if (threads != null) {
            if (threads < 1) {
                throw new ParameterException(cmd, "--threads must be at least 1");
            }
            c.threads(threads);
        }
        if (lossless != null) {
            try {
                c.lossless(Pattern.compile(lossless));
            } catch (PatternSyntaxException e) {
                throw new ParameterException(cmd, "--lossless: '" + lossless + "' is not a regular expression: "
                        + e.getDescription());
            }
        }
        CompressionReport r = c.write(out);
        for (String w : r.warnings()) {
            cmd.getErr().println("graft: warning: " + w);
        }
        cmd.getErr().flush();
        if (json) {
            JsonOutput.print(DeltaReport.json(r.output(), r.manifest(), r.fileBytes(), tensors)
                    .put("seconds", r.seconds()), cmd.getOut());
        } else {
            DeltaReport.printText(r.output(), r.manifest(), r.fileBytes(), tensors, cmd.getOut());
            cmd.getOut().printf("%nCompressed in %.1f s%n", r.seconds());
        }
        cmd.getOut().flush();
        return 0;
    }

    private DeltaCodec codec(CommandLine cmd) {
        List<String> accepted = ACCEPTS.get(method);
        if (accepted == null) {
            throw new ParameterException(cmd, "unknown method '" + method
                    + "' (choose bitdelta, deltacome, compeft, dare or lowrank)");
        }
        List<String> refused = new ArrayList<>();
        for (String opt : ACCEPTS.values().stream().flatMap(List::stream).distinct().sorted().toList()) {
            if (cmd.getParseResult().hasMatchedOption(opt) && !accepted.contains(opt)) {
                refused.add(opt);
            }
        }
        if (!refused.isEmpty()) {
            throw new ParameterException(cmd, String.join(", ", refused) + " does not apply to " + method
                    + (accepted.isEmpty() ? " (it takes no method options)" : " (it takes " + String.join(", ", accepted) + ")"));
        }
        long s = seed == null ? 0 : seed;
        try {
            return switch (method) {
                case BitDelta.METHOD -> new BitDelta();
                case ComPeft.METHOD -> new ComPeft(density == null ? ComPeft.DEFAULT_DENSITY : density,
                        alpha == null || alpha.equals("auto") ? Double.NaN : number("--alpha", alpha));
                case Dare.METHOD -> new Dare(drop == null ? Dare.DEFAULT_DROP : drop, s);
                case LowRank.METHOD -> {
                    if (rank != null && bitsPerParam != null) {
                        throw new ParameterException(cmd, "give --rank or --bits-per-param, not both");
                    }
                    yield rank != null ? LowRank.ofRank(rank, s)
                            : LowRank.ofBudget(bitsPerParam == null ? 1 : bitsPerParam, s);
                }
                case DeltaCoMe.METHOD -> new DeltaCoMe(bitsPerParam == null ? DeltaCoMe.DEFAULT_BITS_PER_PARAM : bitsPerParam,
                        bits == null ? DeltaCoMe.DEFAULT_BITS : DeltaCoMe.ints(bits),
                        counts == null ? DeltaCoMe.DEFAULT_COUNTS : DeltaCoMe.ints(counts),
                        groupSize == null ? DeltaCoMe.DEFAULT_GROUP_SIZE : groupSize, s);
                default -> throw new AssertionError(method);
            };
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cmd, e.getMessage());
        }
    }

    private double number(String option, String value) {
        try {
            return FiniteNumbers.parse(spec.commandLine(), option, value);
        } catch (ParameterException e) {
            throw new ParameterException(spec.commandLine(), option + ": '" + value + "' is not a finite number or 'auto'");
        }
    }
}
