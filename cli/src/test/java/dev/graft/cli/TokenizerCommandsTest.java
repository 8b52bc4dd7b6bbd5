package dev.graft.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tokenizer side of the commands, on testdata's base and ft1 with tokenizers of their 96 rows (the fine-tune's
 * last two ids are {@code <|im_start|>} and {@code <|im_end|>}): what inspect, diff and a merge's dry run say.
 */
class TokenizerCommandsTest {
    @TempDir
    Path dir;
    private Path base;
    private Path chat;

    @BeforeEach
    void models() throws IOException {
        base = dir.resolve("chat-base");
        chat = dir.resolve("chat-ft");
        ExampleSandbox.writeTokenized("base", false, base);
        ExampleSandbox.writeTokenized("ft1", true, chat);
    }

    @Test
    void inspectShowsTheVocabularyTheAddedTokensAndTheTemplate() {
        Cli.Result r = Cli.graft("inspect", chat.toString(), "--no-tensors");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("""
                Tokenizer      96 tokens (94 in the vocabulary, 5 added); config vocab_size 96
                Added tokens   0 <unk> (special)
                               1 <s> (special)
                               2 </s> (special)
                               94 <|im_start|> (special)
                               95 <|im_end|> (special)
                Chat template  yes (default)
                """);
        assertThat(Cli.graft("inspect", base.toString(), "--no-tensors").out()).contains("Chat template  none\n");
    }

    @Test
    void diffListsTokensOnlyInOneAndTokensAtOtherIds() throws IOException {
        Cli.Result r = Cli.graft("diff", base.toString(), chat.toString(), "--top", "1");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("""
                Tokenizer         A 96 tokens, B 96: 2 only in A, 2 only in B, 0 at different ids
                Tokens only in A  w94
                                  w95
                Tokens only in B  <|im_start|>
                                  <|im_end|>
                Different ids     none
                """);
        assertThat(Cli.graft("diff", base.toString(), base.toString()).out())
                .contains("Tokenizer   the same 96 tokens at the same ids\n");
    }

    @Test
    void aDryRunListsTheVocabularyPlan() {
        Cli.Result r = Cli.graft("merge", "task_arithmetic", chat.toString(), "--base", base.toString(),
                "--tokenizer", "union", "--chat-template", "chatml", "--dry-run", "-o", dir.resolve("x").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Tokenizer   vocabulary: union, 98 tokens, 5 added tokens\n"
                + "              " + base + " (base): 96 own rows (0 moved), 2 from the fallback chain\n"
                + "              " + chat + ": 96 own rows (2 moved), 2 from the fallback chain\n"
                + "            chat template: written into tokenizer_config.json (201 characters)\n");
        assertThat(r.out()).containsPattern("\n  model\\.embed_tokens\\.weight +BF16 \\[98, 48\\] ")
                .containsPattern("\n  lm_head\\.weight +BF16 \\[98, 48\\] ");
    }

    @Test
    void aTokenizerSourceThatIsNoModelIsAUsageError() {
        Cli.Result r = Cli.graft("merge", "task_arithmetic", chat.toString(), "--base", base.toString(),
                "--tokenizer", "./elsewhere", "-o", dir.resolve("x").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("graft: --tokenizer ./elsewhere: expected base, union or one of the models as "
                + "given (" + chat + ")\n");
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }
}
