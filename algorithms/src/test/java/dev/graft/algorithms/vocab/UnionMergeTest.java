package dev.graft.algorithms.vocab;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.algorithms.Merge;
import dev.graft.algorithms.vocab.TinyVocabularies.Added;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.plan.Plan;
import dev.graft.core.recipe.Recipe;
import dev.graft.core.vocab.VocabularyPlan;
import dev.graft.formats.io.OutputManifest;
import dev.graft.formats.testing.DjlOffline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.graft.algorithms.vocab.TinyVocabularies.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A base and two chat fine-tunes that add different tokens ({@code <|im_start|>}, {@code <|im_end|>} at another id,
 * {@code <tool>}), merged with {@code tokenizer_source: union}: the union's ids, each model's rebuilt rows, the
 * output folder's files, and the merged tokenizer.json loaded by the tokenizers library itself (DJL).
 */
class UnionMergeTest {
    private static final String TEMPLATE = "{% for m in messages %}{{ m['content'] }}{% endfor %}";
    private static final String EMBED = "model.embed_tokens.weight";
    private static final String HEAD = "lm_head.weight";

    @TempDir
    Path dir;
    private Path base;
    private Path ft1;
    private Path ft2;

    @BeforeAll
    static void keepDjlOfflineAndInTarget() {
        DjlOffline.configure();
    }

    @BeforeEach
    void models() {
        base = TinyVocabularies.model(dir.resolve("base"), 1, 9, Map.of());
        ft1 = TinyVocabularies.model(dir.resolve("ft1"), 2, 11, Map.of("chat_template", TEMPLATE),
                new Added("<|im_start|>", true), new Added("<|im_end|>", true));
        ft2 = TinyVocabularies.model(dir.resolve("ft2"), 3, 11, Map.of(),
                new Added("<|im_end|>", true), new Added("<tool>", false));
    }

    private Merge onlyOne(int which) {
        return Merge.linear().add(base, which == 0 ? 1.0 : 0.0).add(ft1, which == 1 ? 1.0 : 0.0)
                .add(ft2, which == 2 ? 1.0 : 0.0).tokenizerSource("union");
    }

    @Test
    void theUnionAppendsEachModelsNewTokensAndMapsEveryModel() {
        Plan plan = onlyOne(0).plan();
        VocabularyPlan v = plan.vocabulary().orElseThrow();
        assertThat(v.tokenizer().orElseThrow().vocab()).containsExactly(
                Map.entry("<unk>", 0), Map.entry("<s>", 1), Map.entry("</s>", 2), Map.entry("a", 3),
                Map.entry("b", 4), Map.entry("c", 5), Map.entry("ab", 6), Map.entry("bc", 7), Map.entry("abc", 8),
                Map.entry("<|im_start|>", 9), Map.entry("<|im_end|>", 10), Map.entry("<tool>", 11));
        assertThat(v.permutation(0)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1);
        assertThat(v.permutation(1)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1);
        assertThat(v.permutation(2)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, -1, 9, 10);
        assertThat(v.rows()).isEqualTo(12);
        assertThat(plan.config().orElseThrow().vocabSize()).hasValue(12);
        assertThat(v.description()).containsExactly(
                "vocabulary: union, 12 tokens, 6 added tokens",
                "  " + base + " (base): 9 own rows (0 moved), 3 from the fallback chain",
                "  " + ft1 + ": 11 own rows (0 moved), 1 from the fallback chain",
                "  " + ft2 + ": 11 own rows (2 moved), 1 from the fallback chain");
    }

    @Test
    void eachModelsRowsAreItsOwnOrTheFallbackChainsBeforeTheMethodRuns() {
        float[][] b = rows(base, EMBED);
        float[][] f1 = rows(ft1, EMBED);
        float[][] f2 = rows(ft2, EMBED);
        float[][] mean = new float[1][TinyVocabularies.HIDDEN];
        for (int k = 0; k < mean[0].length; k++) {
            mean[0][k] = (float) (((double) f1[10][k] + f2[9][k]) / 2);
        }
        float[][][] expected = {
                // base: its 9 rows; <|im_start|> only ft1 has; <|im_end|> the mean of ft1's and ft2's; <tool> ft2's
                {b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], f1[9], mean[0], f2[10]},
                {f1[0], f1[1], f1[2], f1[3], f1[4], f1[5], f1[6], f1[7], f1[8], f1[9], f1[10], f2[10]},
                {f2[0], f2[1], f2[2], f2[3], f2[4], f2[5], f2[6], f2[7], f2[8], f1[9], f2[9], f2[10]}};
        for (int m = 0; m < 3; m++) {
            Path out = dir.resolve("only" + m + ".safetensors");
            onlyOne(m).write(out);
            assertThat(rows(out, EMBED)).as("model %d", m).isDeepEqualTo(expected[m]);
        }
        // the output head is rebuilt by the same permutation
        float[][] h1 = rows(ft1, HEAD);
        float[][] h2 = rows(ft2, HEAD);
        assertThat(rows(dir.resolve("only0.safetensors"), HEAD)[11]).isEqualTo(h2[10]);
        assertThat(rows(dir.resolve("only2.safetensors"), HEAD)[9]).isEqualTo(h1[9]);
    }

    @Test
    void paddingRowsTakeTheMeanOfTheModelsRebuiltRows() {
        Path out = dir.resolve("padded.safetensors");
        onlyOne(1).padToMultipleOf(8).write(out);
        float[][] merged = rows(out, EMBED);
        assertThat(merged).hasNumberOfRows(16);
        for (int k = 0; k < TinyVocabularies.HIDDEN; k++) {
            double sum = 0;
            for (int r = 0; r < 12; r++) {
                sum += merged[r][k];
            }
            for (int r = 12; r < 16; r++) {
                assertThat(merged[r][k]).isEqualTo((float) (sum / 12));
            }
        }
    }

    @Test
    void aRecipeMergeWritesATokenizerWhoseIdsLineUpWithTheRows() throws IOException {
        Path recipe = dir.resolve("union.yml");
        Files.writeString(recipe, """
                merge_method: task_arithmetic
                base_model: base
                models:
                  - model: ft1
                    parameters: {weight: 1.0}
                  - model: ft2
                    parameters: {weight: 1.0}
                tokenizer:
                  source: union
                  pad_to_multiple_of: 8
                  tokens:
                    <tool>: {source: {kind: model_token, model: ft1, token: "<|im_start|>"}, force: true}
                    <new>: {source: {kind: model_token, model: ft2, token_id: 3}}
                chat_template: auto
                """);
        Path out = dir.resolve("merged");
        Recipe.load(recipe).run(out, MergeOptions.defaults(), dir);

        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(out.resolve("tokenizer.json"))) {
            assertThat(hf.encode("<|im_start|>ab c<|im_end|> <tool>", false, false).getIds())
                    .containsExactly(9, 6, 5, 10, 11);
            // a tokenizer.tokens key new to every model is added, as mergekit's add_tokens adds it
            assertThat(hf.encode("a <new>", false, false).getIds()).containsExactly(3, 12);
            assertThat(hf.encode("abc bc", false, false).getIds()).containsExactly(8, 7);
        }
        JsonNode config = TinyVocabularies.JSON.readTree(out.resolve("config.json").toFile());
        assertThat(config.get("vocab_size").intValue()).isEqualTo(16);
        assertThat(config.get("eos_token_id").intValue()).isEqualTo(2);
        JsonNode tokenizerConfig = TinyVocabularies.JSON.readTree(out.resolve("tokenizer_config.json").toFile());
        assertThat(tokenizerConfig.get("chat_template").textValue()).isEqualTo(TEMPLATE);
        assertThat(tokenizerConfig.get("added_tokens_decoder").get("11").get("content").textValue())
                .isEqualTo("<tool>");
        assertThat(tokenizerConfig.get("eos_token").textValue()).isEqualTo("</s>");
        assertThat(Files.readString(out.resolve(OutputManifest.FILE_NAME)))
                .contains("\"tokenizer.json\"", "\"tokenizer_config.json\"", "\"config.json\"");

        // task arithmetic over rebuilt rows: base + (ft1 - base) + (ft2 - base), row by row
        float[][] b = rows(base, EMBED);
        float[][] f1 = rows(ft1, EMBED);
        float[][] f2 = rows(ft2, EMBED);
        float[][] m = rows(out, EMBED);
        assertThat(m).hasNumberOfRows(16);
        for (int k = 0; k < TinyVocabularies.HIDDEN; k++) {
            // <tool> is forced to ft1's <|im_start|> row for every model: the deltas vanish
            assertThat(m[11][k]).isEqualTo(f1[9][k]);
            // <|im_start|>: only ft1 has it, so the base and ft2 take ft1's row too: no delta
            assertThat(m[9][k]).isEqualTo(f1[9][k]);
            assertThat(m[3][k]).isEqualTo(b[3][k] + ((f1[3][k] - b[3][k]) + (f2[3][k] - b[3][k])));
            // <new> (id 12): no model has it; every model takes ft2's row 3
            assertThat(m[12][k]).isEqualTo(f2[3][k]);
        }
    }

    @Test
    void theBuilderSetsPerTokenRowsAndWritesThemIntoItsRecipe() {
        Merge merge = onlyOne(0).padToMultipleOf(4).tokenZero("<tool>", true)
                .tokenRow("<|im_start|>", ft2.toString(), "<|im_end|>", false)
                .tokenRow("<new>", ft1.toString(), 3, false);
        Path out = dir.resolve("builder.safetensors");
        merge.write(out);
        float[][] m = rows(out, EMBED);
        float[][] f2 = rows(ft2, EMBED);
        float[][] f1 = rows(ft1, EMBED);
        assertThat(m).hasNumberOfRows(16);
        assertThat(m[11]).containsOnly(0f);      // <tool>, forced to zeros
        assertThat(m[9]).isEqualTo(f2[9]);       // the base lacks <|im_start|>: ft2's <|im_end|> row
        assertThat(m[12]).isEqualTo(f1[3]);      // <new>, added: ft1's row 3
        assertThat(merge.recipe()).endsWith("tokenizer:\n  source: union\n  pad_to_multiple_of: 4\n  tokens:\n"
                + "    \"<tool>\": {source: {kind: zero}, force: true}\n"
                + "    \"<|im_start|>\": {source: {kind: model_token, model: " + ft2 + ", token: \"<|im_end|>\"}}\n"
                + "    \"<new>\": {source: {kind: model_token, model: " + ft1 + ", token_id: 3}}\n");
        Recipe parsed = Recipe.parse(merge.recipe(), dir.resolve("r.yml"));
        assertThat(parsed.tokenizerTokens()).containsOnlyKeys("<tool>", "<|im_start|>", "<new>");
        assertThat(parsed.padToMultipleOf()).hasValue(4);
    }
}
