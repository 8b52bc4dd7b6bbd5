package dev.graft.cli.lm;

import dev.graft.evaluation.llama.LlamaFolder;
import dev.graft.evaluation.llama.LlamaFolderException;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.lmtrain.TaskScore;
import dev.graft.evaluation.lmtrain.TaskScorer;
import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.text.TaskExamples;
import dev.graft.evaluation.text.TextExample;
import dev.graft.evaluation.text.TextTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code graft score}: a byte-level Llama's exact match and loss on the evaluation's text tasks. */
@Command(name = "score",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Score a byte-level Llama model on the evaluation's text tasks.",
                "",
                "Runs the Java forward pass of graft eval on a Hugging Face LlamaForCausalLM folder whose vocabulary "
                        + "is the evaluation's bytes (vocab_size 259: 256 bytes, BOS, EOS, PAD), such as the "
                        + "pre-trained model, a fine-tune or a merge of them. Each example's prompt is decoded "
                        + "greedily; it counts when the model writes exactly the answer and stops. Also prints the "
                        + "mean cross-entropy of the answers (nats per token, end of sequence included).",
                "",
                "Tasks: addition, reversal, sorting, counting, depth, lookup, binary, cipher, maximum, doubling, "
                        + "last, first, smallest, successor, capital, comparison, copy, length."},
        footer = {"", "Examples:",
                "  graft score ./byte-llama --task addition",
                "  graft score ./byte-llama --task lookup --task cipher --examples 50 --show 3"})
public final class ScoreCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "A Llama model folder with the byte-level vocabulary.")
    Path model;

    @Option(names = "--task", paramLabel = "NAME", required = true, converter = TaskConverter.class,
            completionCandidates = TaskConverter.Names.class,
            description = "A task to score on (repeatable): ${COMPLETION-CANDIDATES}.")
    List<TextTask> tasks;

    @Option(names = "--examples", paramLabel = "N", defaultValue = "200",
            description = "Examples per task (default: ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "Which examples: test (default) or validation.")
    String split;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "The seed the examples are drawn under, as graft eval's (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--show", paramLabel = "N", defaultValue = "0",
            description = "Also print the first N examples with the model's answers.")
    int show;

    @Option(names = {"-j", "--threads"}, paramLabel = "N", description = "Examples scored at once (default: all "
            + "cores).")
    Integer threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Split which = switch (split.toLowerCase(Locale.ROOT)) {
            case "test" -> Split.TEST;
            case "validation" -> Split.VALIDATION;
            default -> throw new ParameterException(spec.commandLine(), "--split " + split
                    + ": expected test or validation");
        };
        if (examples < 1) {
            throw new ParameterException(spec.commandLine(), "--examples must be at least 1: " + examples);
        }
        if (show < 0) {
            throw new ParameterException(spec.commandLine(), "--show must not be negative: " + show);
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (t < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1: " + t);
        }
        LlamaWeights weights = LlamaFolder.readByteLevel(model);
        if (weights.shape().maxPositions() < TaskScorer.POSITIONS) {
            throw new LlamaFolderException(model, "max_position_embeddings "
                    + weights.shape().maxPositions() + " is shorter than the " + TaskScorer.POSITIONS
                    + " positions the tasks need");
        }
        TaskScorer scorer = new TaskScorer(weights.shape(), t);
        for (TextTask task : tasks) {
            List<TextExample> set = TaskExamples.of(task, which, seed, examples);
            TaskScore s = scorer.score(weights, task, set);
            out.printf(Locale.ROOT, "%-9s %5.1f%% exact match (%d of %d %s examples), %.3f nats per answer token%n",
                    task.id(), 100 * s.accuracy(), s.correct(), s.examples(), which.name().toLowerCase(Locale.ROOT),
                    s.lossPerToken());
            for (int i = 0; i < Math.min(show, set.size()); i++) {
                TextExample e = set.get(i);
                String got = s.outputs().get(i);
                out.printf("  %-22s %-12s %s%n", e.prompt(), got, got.equals(e.answer()) ? "right"
                        : "wrong, expected " + e.answer());
            }
        }
        return 0;
    }
}
