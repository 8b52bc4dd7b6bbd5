package dev.graft.cli.lm;

import dev.graft.cli.Cli;
import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.GreedyDecoder;
import dev.graft.evaluation.llama.LlamaFolder;
import dev.graft.evaluation.llama.LlamaPass;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.lmtrain.TaskScorer;
import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.text.TaskExamples;
import dev.graft.evaluation.text.TextTask;
import dev.graft.formats.dtype.DType;
import dev.graft.testmodels.TinyGpt2;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ScoreAndGenerateCommandTest {
    private static final LlamaShape SHAPE = new LlamaShape(ByteVocabulary.SIZE, 16, 32, 1, 2, 1, 64, 10000, 1e-5);

    @TempDir
    Path dir;
    private Path model;
    private LlamaWeights weights;

    @BeforeEach
    void writeModel() {
        weights = LlamaWeights.initial(SHAPE, 3);
        model = LlamaFolder.write(weights, dir.resolve("m"), false);
    }

    @Test
    void scorePrintsWhatTheScorerMeasures() {
        var s = new TaskScorer(SHAPE, 1).score(weights, TextTask.ADDITION,
                TaskExamples.of(TextTask.ADDITION, Split.TEST, 1, 20));
        var c = new TaskScorer(SHAPE, 1).score(weights, TextTask.CIPHER,
                TaskExamples.of(TextTask.CIPHER, Split.TEST, 1, 20));
        Cli.Result r = Cli.graft("score", model.toString(), "--task", "addition", "--task", "cipher", "--examples",
                "20", "--show", "1", "--threads", "2");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(String.format(java.util.Locale.ROOT, """
                addition    0.0%% exact match (0 of 20 test examples), %.3f nats per answer token
                  94+76=                 %-12s wrong, expected 170
                cipher      0.0%% exact match (0 of 20 test examples), %.3f nats per answer token
                  enc[edoj]              %-12s wrong, expected trgp
                """, s.lossPerToken(), s.outputs().getFirst(), c.lossPerToken(), c.outputs().getFirst()));
    }

    @Test
    void generatePrintsTheGreedyContinuation() {
        int[] expected = new GreedyDecoder(new LlamaPass(SHAPE, 64), weights.widened())
                .continuation(ByteVocabulary.encodeWithBos("47+38="), 5, ByteVocabulary.EOS);
        Cli.Result r = Cli.graft("generate", model.toString(), "--prompt", "47+38=", "--max-tokens", "5");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(ByteVocabulary.decode(expected, 0, expected.length) + "\n");
    }

    @Test
    void anUnknownTaskIsAUsageError() {
        Cli.Result r = Cli.graft("score", model.toString(), "--task", "parity");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("graft: Invalid value for option '--task' (NAME): unknown task 'parity': expected "
                + "one of addition, reversal, sorting, counting, depth, lookup, binary, cipher, maximum, doubling, last, "
                + "first, smallest, successor, capital, comparison, copy, length\n");
    }

    @Test
    void aGpt2FolderIsNotLlamaShaped() {
        Path gpt2 = TinyGpt2.builder().layers(1).seed(1).writeTo(dir.resolve("gpt2"));
        for (String[] args : new String[][] {{"score", gpt2.toString(), "--task", "addition"},
                {"generate", gpt2.toString(), "--prompt", "1+1="}}) {
            Cli.Result r = Cli.graft(args);
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("graft: " + gpt2 + ": not a Llama model: config.json names architectures "
                    + "[GPT2LMHeadModel], not [LlamaForCausalLM]\n");
        }
    }

    @Test
    void aLlamaWithAnotherVocabularyIsRefused() {
        Path other = TinyLlama.builder().layers(1).hidden(8).intermediate(16).vocab(32).heads(2).dtype(DType.F32)
                .seed(1).writeTo(dir.resolve("v32"));
        Cli.Result r = Cli.graft("generate", other.toString(), "--prompt", "hi");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + other + ": vocab_size 32 is not the byte-level vocabulary of 259 "
                + "tokens (256 bytes, BOS, EOS, PAD) that scoring and generation use\n");
    }

    @Test
    void aModelTooLargeForTheForwardPassIsRefused() throws Exception {
        Path config = model.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"num_hidden_layers\": 1",
                "\"num_hidden_layers\": 80").replace("\"hidden_size\": 16", "\"hidden_size\": 4096")
                .replace("\"head_dim\": 8", "\"head_dim\": 2048").replace("\"intermediate_size\": 32",
                        "\"intermediate_size\": 11008"));
        Cli.Result r = Cli.graft("score", model.toString(), "--task", "addition");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + model + ": 14,850,617,344 parameters is more than the 50,000,000 "
                + "the Java forward pass runs\n");
    }

    @Test
    void aPromptLongerThanTheModelsPositionsIsRefused() {
        Cli.Result r = Cli.graft("generate", model.toString(), "--prompt", "x".repeat(63));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + model + ": a prompt of 64 tokens (with BOS) leaves no room in the "
                + "model's 64 positions (max_position_embeddings)\n");
    }
}
