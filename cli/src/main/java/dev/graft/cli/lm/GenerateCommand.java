package dev.graft.cli.lm;

import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.GreedyDecoder;
import dev.graft.evaluation.llama.LlamaFolder;
import dev.graft.evaluation.llama.LlamaFolderException;
import dev.graft.evaluation.llama.LlamaPass;
import dev.graft.evaluation.llama.LlamaWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code graft generate}: greedy continuation of a prompt by a byte-level Llama. */
@Command(name = "generate",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Continue a prompt with a byte-level Llama model, greedily.",
                "",
                "Runs the Java forward pass of graft eval on a Hugging Face LlamaForCausalLM folder with the "
                        + "evaluation's byte vocabulary (vocab_size 259) and prints what follows the prompt, up to "
                        + "the end-of-sequence token or --max-tokens bytes: a look at what a fine-tune or a merge "
                        + "answers."},
        footer = {"", "Examples:",
                "  graft generate ./byte-llama --prompt '47+38='",
                "  graft generate ./byte-llama --prompt 'reverse kqzt:' --max-tokens 8"})
public final class GenerateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "A Llama model folder with the byte-level vocabulary.")
    Path model;

    @Option(names = "--prompt", paramLabel = "TEXT", required = true, description = "What the model continues "
            + "(after the beginning-of-sequence token).")
    String prompt;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "32",
            description = "The most bytes to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (maxTokens < 1) {
            throw new ParameterException(spec.commandLine(), "--max-tokens must be at least 1: " + maxTokens);
        }
        LlamaWeights weights = LlamaFolder.readByteLevel(model);
        int[] tokens = ByteVocabulary.encodeWithBos(prompt);
        int positions = weights.shape().maxPositions();
        if (tokens.length >= positions) {
            throw new LlamaFolderException(model, "a prompt of " + tokens.length + " tokens (with BOS) leaves no "
                    + "room in the model's " + positions + " positions (max_position_embeddings)");
        }
        LlamaPass pass = new LlamaPass(weights.shape(), Math.min(positions, tokens.length + maxTokens));
        int[] got = new GreedyDecoder(pass, weights.widened()).continuation(tokens, maxTokens, ByteVocabulary.EOS);
        spec.commandLine().getOut().println(ByteVocabulary.decode(got, 0, got.length));
        return 0;
    }
}
