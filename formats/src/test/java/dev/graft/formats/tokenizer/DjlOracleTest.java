package dev.graft.formats.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.formats.testing.DjlOffline;
import dev.graft.formats.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tokenizers library itself (Rust, through DJL's JNI binding, whose jar carries the linux, macOS and Windows
 * natives) loads what Graft writes and encodes to the ids Graft's reader reports.
 */
class DjlOracleTest {
    private static final Path REFERENCE = TestData.root().resolve("vectors/tokenizer");

    @TempDir
    Path dir;

    @BeforeAll
    static void keepDjlOfflineAndInTarget() {
        DjlOffline.configure();
    }

    private static long[] ids(Tokenizer t, String... tokens) {
        return Arrays.stream(tokens).mapToLong(s -> t.id(s).orElseThrow()).toArray();
    }

    private static long[] encode(HuggingFaceTokenizer hf, String text) {
        Encoding e = hf.encode(text, false, false);
        return e.getIds();
    }

    @Test
    void aTokenizerGraftTrimmedAndExtendedLoadsWithTheIdsGraftReports() throws IOException {
        TokenizerJsonDocument doc = TokenizerJsonDocument.read(REFERENCE.resolve("bpe.json")).trimmedTo(12);
        Tokenizer trimmed = doc.tokenizer();
        Tokenizer extended = trimmed.addTokens(List.of(AddedToken.of("<think>", true), AddedToken.of("</think>", true),
                AddedToken.of("<x y>", false)));
        Path out = dir.resolve("tokenizer.json");
        doc.withAddedTokens(extended.addedTokens()).write(out, false);
        Tokenizer reread = Tokenizer.read(out);
        assertThat(reread.vocab()).isEqualTo(extended.vocab());
        assertThat(reread.size()).isEqualTo(15);
        assertThat(reread.id("<think>")).hasValue(12);
        assertThat(reread.id("</think>")).hasValue(13);
        assertThat(reread.id("<x y>")).hasValue(14);

        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(out, Map.of())) {
            assertThat(encode(hf, "ab abc c")).containsExactly(ids(reread, "ab", "abc", "c"));
            assertThat(encode(hf, "ab abc c")).containsExactly(7, 8, 5);
            // Added tokens encode as single ids, inside words too.
            assertThat(encode(hf, "<think>abc</think> bc")).containsExactly(12, 8, 13, 9);
            assertThat(encode(hf, "<|im_start|>a<x y>b")).containsExactly(11, 3, 14, 4);
            assertThat(encode(hf, "cé <think>")).containsExactly(ids(reread, "cé", "<think>"));
            // What the trim removed is gone: <|im_end|> (12 before) is plain text now.
            assertThat(hf.encode("<|im_end|>", false, false).getTokens()).doesNotContain("<|im_end|>");
            // The post-processor still adds <s> … </s> with Graft's ids for them.
            assertThat(hf.encode("a").getIds()).containsExactly(ids(reread, "<s>", "a", "</s>"));
        }
    }

    @Test
    void theOracleAgreesWithTransformersOnTheReferenceFolder() throws IOException {
        // expected.json: the encodings transformers 5.17 gave for bpe-folder (make.py).
        JsonNode expected = TinyTokenizers.JSON.readTree(REFERENCE.resolve("bpe-folder/expected.json").toFile());
        Tokenizer graft = TokenizerFolder.of(REFERENCE.resolve("bpe-folder")).tokenizer();
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(
                REFERENCE.resolve("bpe-folder/tokenizer.json"), Map.of())) {
            for (var e : expected.get("encodings").properties()) {
                long[] want = new long[e.getValue().size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = e.getValue().get(i).longValue();
                }
                assertThat(encode(hf, e.getKey())).as(e.getKey()).containsExactly(want);
                // The tokens' texts (an rstrip token's includes the space it swallowed) have Graft's ids.
                String[] tokens = hf.encode(e.getKey(), false, false).getTokens();
                assertThat(ids(graft, Arrays.stream(tokens).map(String::strip).toArray(String[]::new)))
                        .as(e.getKey()).containsExactly(want);
            }
        }
    }
}
