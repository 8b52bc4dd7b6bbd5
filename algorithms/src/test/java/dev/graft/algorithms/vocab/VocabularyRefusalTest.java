package dev.graft.algorithms.vocab;

import dev.graft.algorithms.Merge;
import dev.graft.algorithms.vocab.TinyVocabularies.Added;
import dev.graft.core.exec.MergeReport;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.PlanException;
import dev.graft.core.vocab.ChatTemplateChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.graft.algorithms.vocab.TinyVocabularies.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Vocabularies Graft refuses, each with a one-line reason from the plan (which reads no tensor), and the ones it takes. */
class VocabularyRefusalTest {
    private static final String EMBED = "model.embed_tokens.weight";

    @TempDir
    Path dir;

    private Path base() {
        return TinyVocabularies.model(dir.resolve("base"), 1, 9, Map.of());
    }

    private Path chat(String name, Added... added) {
        return TinyVocabularies.model(dir.resolve(name), 2, 9 + added.length, Map.of(), added);
    }

    /** A folder whose only tokenizer is a SentencePiece model (its bytes do not matter: Graft does not read it). */
    private Path sentencePieceOnly() throws IOException {
        Path m = chat("sp", new Added("<x>", true));
        Files.delete(m.resolve("tokenizer.json"));
        Files.write(m.resolve("tokenizer.model"), new byte[]{10, 3, 'a', 'b', 'c'});
        return m;
    }

    private static PlanException refused(Merge merge) {
        return catchThrowableOfType(PlanException.class, merge::plan);
    }

    @Test
    void aSentencePieceOnlyModelIsRefusedForUnionButBaseStillWorks() throws IOException {
        Path base = base();
        Path sp = sentencePieceOnly();
        assertThat(refused(Merge.taskArithmetic().base(base).add(sp, 1.0).tokenizerSource("union")).problems())
                .containsExactly("tokenizer source union: " + sp + " has a SentencePiece tokenizer.model without "
                        + "tokenizer.json, whose tokens Graft cannot read; use the base's tokenizer "
                        + "(tokenizer_source: base)");
        MergeReport r = Merge.taskArithmetic().base(base).add(sp, 1.0).tokenizerSource("base")
                .write(dir.resolve("out"));
        assertThat(r.warnings()).contains(sp + ": a SentencePiece tokenizer.model without tokenizer.json only; its "
                + "tokens are taken to be " + base + "'s (as mergekit does for a tokenizer it cannot load)");
        // the base's 9 tokens: sp's extra row 9 is dropped, its first 9 rows kept in place
        assertThat(rows(dir.resolve("out"), EMBED)).hasNumberOfRows(9);
        assertThat(Files.exists(dir.resolve("out/tokenizer.model"))).isFalse();
    }

    @Test
    void aBaseWithOnlyASentencePieceModelKeepsItsFilesUnderBase() throws IOException {
        Path base = sentencePieceOnly();
        Path ft = chat("ft");
        MergeReport r = Merge.taskArithmetic().base(base).add(ft, 1.0).tokenizerSource("base").write(dir.resolve("out"));
        assertThat(r.warnings()).contains("tokenizer source base: " + base + " has a SentencePiece tokenizer.model "
                + "without tokenizer.json, which Graft copies but cannot rebuild; the embeddings are merged without a "
                + "vocabulary change");
        assertThat(Files.readAllBytes(dir.resolve("out/tokenizer.model"))).containsExactly(10, 3, 'a', 'b', 'c');
        // as one model's tokenizer, it would have to be written out: refused
        assertThat(refused(Merge.taskArithmetic().base(ft).add(base, 1.0).tokenizerSource(base.toString()))
                .problems()).containsExactly("tokenizer source " + base + " has a SentencePiece tokenizer.model "
                + "without tokenizer.json, which Graft cannot write out; use tokenizer_source: base");
    }

    @Test
    void aPerTokenSourceNamingATokenItsModelLacksIsRefused() {
        base();
        chat("ft", new Added("<|im_end|>", true));
        dev.graft.core.recipe.Recipe recipe = dev.graft.core.recipe.Recipe.parse("""
                merge_method: task_arithmetic
                base_model: base
                models:
                  - model: ft
                    parameters: {weight: 1.0}
                tokenizer:
                  source: union
                  tokens:
                    <nope>: {source: ft}
                    <|im_end|>: {source: {kind: model_token, model: base, token: "<eot>"}}
                    <s>: {source: {kind: model_token, model: ft, token_id: 12}}
                    a: {source: base}
                """, dir.resolve("r.yml"));
        PlanException p = catchThrowableOfType(PlanException.class,
                () -> recipe.plan(dev.graft.core.exec.MergeOptions.defaults(), dir));
        assertThat(p.problems()).containsExactly(
                "tokenizer.tokens[\"<nope>\"]: ft has no row for \"<nope>\"",
                "tokenizer.tokens[\"<|im_end|>\"]: base has no token \"<eot>\"",
                "tokenizer.tokens[\"<s>\"]: token_id 12 is out of range for ft (ids 0..9)");
    }

    @Test
    void aTokenSpecialInOneModelAndPlainInAnotherIsAConflict() {
        Path base = base();
        Path ft1 = chat("ft1", new Added("<|im_end|>", true));
        Path ft2 = chat("ft2", new Added("<|im_end|>", false));
        assertThat(refused(Merge.taskArithmetic().base(base).add(ft1, 1.0).add(ft2, 1.0).tokenizerSource("union"))
                .problems()).containsExactly("conflicting special tokens: \"<|im_end|>\" is special in " + ft1
                + " but not special in " + ft2 + "; use tokenizer_source: base or one model's tokenizer");
    }

    @Test
    void aVocabSizeThatWouldCutASpecialTokenIsRefusedAndOneThatCutsPlainTokensTrims() throws IOException {
        Path base = TinyVocabularies.model(dir.resolve("base"), 1, 9, Map.of("pad_token", "<pad>"),
                new Added("<pad>", true));
        Path ft = chat("ft");
        assertThat(refused(Merge.taskArithmetic().base(base).add(ft, 1.0).tokenizerSource("union")).problems())
                .containsExactly(base + ": config.json vocab_size 9 is smaller than its tokenizer's 10 tokens: "
                        + "trimming would drop its special token \"<pad>\" (id 9); fix vocab_size or the tokenizer");
        Path plain = TinyVocabularies.model(dir.resolve("plain"), 1, 9, Map.of(), new Added("<extra>", false));
        Plan plan = Merge.taskArithmetic().base(plain).add(ft, 1.0).tokenizerSource("base").plan();
        assertThat(plan.warnings()).contains(plain + ": config.json vocab_size 9 is smaller than its tokenizer's 10 "
                + "tokens; the 1 tokens from id 9 on are dropped (they have no embedding rows)");
        assertThat(plan.vocabulary().orElseThrow().tokenizer().orElseThrow().size()).isEqualTo(9);
    }

    @Test
    void aSourceModelsTokenWithoutARowAnywhereGetsZerosAndAWarning() throws IOException {
        Path base = base();
        // ft's tokenizer has <|im_end|> at 9, but its config (and matrix) stop at 9 rows
        Path ft = TinyVocabularies.model(dir.resolve("ft"), 2, 9, Map.of(), new Added("<|im_end|>", true));
        Path out = dir.resolve("out.safetensors");
        MergeReport r = Merge.taskArithmetic().base(base).add(ft, 1.0).tokenizerSource(ft.toString()).write(out);
        assertThat(r.warnings()).contains("1 output token(s) are in no model, their rows are zero (first: "
                + "\"<|im_end|>\", id 9)");
        assertThat(rows(out, EMBED)[9]).containsExactly(0, 0, 0, 0);
    }

    @Test
    void aChatTemplateAloneRewritesOnlyTheCopiedTokenizerConfig() throws IOException {
        Path base = base();
        Path ft = chat("ft");
        Files.writeString(base.resolve("chat_template.jinja"), "{{ 'old' }}");
        Path out = dir.resolve("out");
        Merge.taskArithmetic().base(base).add(ft, 1.0).chatTemplate("chatml").write(out);
        assertThat(Files.readString(out.resolve("tokenizer.json"))).isEqualTo(Files.readString(base.resolve("tokenizer.json")));
        assertThat(TinyVocabularies.JSON.readTree(out.resolve("tokenizer_config.json").toFile()).get("chat_template")
                .textValue()).isEqualTo(ChatTemplateChoice.bundled("chatml"));
        assertThat(Files.exists(out.resolve("chat_template.jinja"))).isFalse();
    }
}
