package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenizerJsonDocumentTest {
    /** Files the tokenizers library wrote itself (testdata/vectors/tokenizer/make.py). */
    private static final Path REFERENCE = TestData.root().resolve("vectors/tokenizer");

    @TempDir
    Path dir;

    @Test
    void rewritesFilesTheTokenizersLibraryWroteByteForByte() throws IOException {
        for (String name : List.of("bpe.json", "bpe-compact.json", "unigram.json", "bpe-folder/tokenizer.json")) {
            Path f = REFERENCE.resolve(name);
            TokenizerJsonDocument doc = TokenizerJsonDocument.read(f);
            assertThat(doc.toJson()).as(name).isEqualTo(Files.readString(f));
            Path out = dir.resolve(name.replace('/', '-'));
            doc.write(out, false);
            assertThat(Files.readAllBytes(out)).as(name).isEqualTo(Files.readAllBytes(f));
        }
    }

    @Test
    void readsTheReferenceFilesAsTheLibraryBuiltThem() {
        Tokenizer bpe = TokenizerJsonDocument.read(REFERENCE.resolve("bpe.json")).tokenizer();
        assertThat(bpe.modelVocabulary().size()).isEqualTo(11);
        assertThat(bpe.size()).isEqualTo(14);
        assertThat(bpe.merges()).containsExactly(new Merge("a", "b", "ab"), new Merge("ab", "c", "abc"),
                new Merge("b", "c", "bc"), new Merge("c", "é", "cé"));
        assertThat(bpe.addedTokens()).containsExactly(
                Map.entry(1, new AddedToken("<s>", false, false, false, false, true)),
                Map.entry(2, new AddedToken("</s>", false, false, false, false, true)),
                Map.entry(11, new AddedToken("<|im_start|>", false, false, false, false, true)),
                Map.entry(12, new AddedToken("<|im_end|>", false, false, true, false, true)),
                Map.entry(13, new AddedToken("<tool>", false, false, false, true, false)));
        Tokenizer uni = Tokenizer.read(REFERENCE.resolve("unigram.json"));
        assertThat(uni.modelVocabulary().tokens())
                .containsExactly("<pad>", "</s>", "<unk>", "▁a", "▁b", "c", "▁", "d");
        assertThat(uni.addedTokens().keySet()).containsExactly(0, 8);
        assertThat(uni.unkToken()).contains("<unk>");
    }

    @Test
    void changingTheAddedTokensKeepsEverythingElse() throws IOException {
        Path f = dir.resolve("tokenizer.json");
        ObjectNode original = (ObjectNode) TinyTokenizers.JSON.readTree(REFERENCE.resolve("bpe.json").toFile());
        original.putObject("x_graft_unknown").put("kept", 1.25);
        ((ObjectNode) original.get("added_tokens").get(2)).put("x_extra", "kept too");
        Files.writeString(f, dev.graft.formats.json.SerdeJson.pretty(original));
        TokenizerJsonDocument doc = TokenizerJsonDocument.read(f);

        Tokenizer more = doc.tokenizer().addTokens(List.of(AddedToken.of("<think>", true),
                new AddedToken("<|im_start|>", false, true, false, false, true)));
        TokenizerJsonDocument changed = doc.withAddedTokens(more.addedTokens());

        assertThat(changed.tokenizer().size()).isEqualTo(15);
        assertThat(changed.tokenizer().id("<think>")).hasValue(14);
        JsonNode written = TinyTokenizers.JSON.readTree(changed.toJson());
        ArrayNode added = (ArrayNode) written.get("added_tokens");
        assertThat(added).hasSize(6);
        assertThat(added.get(2).toString()).isEqualTo("{\"id\":11,\"content\":\"<|im_start|>\",\"single_word\":false,"
                + "\"lstrip\":true,\"rstrip\":false,\"normalized\":false,\"special\":true,\"x_extra\":\"kept too\"}");
        assertThat(added.get(5).toString()).isEqualTo("{\"id\":14,\"content\":\"<think>\",\"single_word\":false,"
                + "\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true}");
        ObjectNode rest = (ObjectNode) written.deepCopy();
        rest.remove("added_tokens");
        ObjectNode originalRest = original.deepCopy();
        originalRest.remove("added_tokens");
        assertThat(rest).isEqualTo(originalRest);
        assertThat(rest.properties().stream().map(Map.Entry::getKey))
                .containsExactlyElementsOf(originalRest.properties().stream().map(Map.Entry::getKey).toList());
        // The document it came from is unchanged.
        assertThat(doc.toJson()).isEqualTo(Files.readString(f));
    }

    @Test
    void anEditThatWouldGiveTwoTokensOneIdIsRefused() {
        Path f = REFERENCE.resolve("bpe.json");
        TokenizerJsonDocument doc = TokenizerJsonDocument.read(f);
        TreeMap<Integer, AddedToken> bad = new TreeMap<>(doc.tokenizer().addedTokens());
        bad.put(3, AddedToken.of("<x>", true));
        assertThatThrownBy(() -> doc.withAddedTokens(bad)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": added token \"<x>\" has id 3, which the vocabulary gives to \"a\"");
    }

    @Test
    void trimmingDropsTheIdsPastTheSizeAndTheMergesThatUseThem() {
        TokenizerJsonDocument doc = TokenizerJsonDocument.read(REFERENCE.resolve("bpe.json"));
        TokenizerJsonDocument trimmed = doc.trimmedTo(9);
        Tokenizer t = trimmed.tokenizer();
        assertThat(t.size()).isEqualTo(9);
        assertThat(t.modelVocabulary().tokens()).containsExactly("<unk>", "<s>", "</s>", "a", "b", "c", "é", "ab",
                "abc");
        // b+c gives bc (9) and c+é gives cé (10): both go; a+b and ab+c stay.
        assertThat(t.merges()).containsExactly(new Merge("a", "b", "ab"), new Merge("ab", "c", "abc"));
        assertThat(t.addedTokens().keySet()).containsExactly(1, 2);
        assertThat(doc.trimmedTo(14)).isSameAs(doc);

        TokenizerJsonDocument uni = TokenizerJsonDocument.read(REFERENCE.resolve("unigram.json"));
        assertThat(uni.trimmedTo(5).tokenizer().modelVocabulary().tokens())
                .containsExactly("<pad>", "</s>", "<unk>", "▁a", "▁b");
        Path f = REFERENCE.resolve("unigram.json");
        assertThatThrownBy(() -> uni.trimmedTo(2)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": cannot trim to 2 tokens: model.unk_id 2 would be removed");
    }

    @Test
    void trimmingKeepsVersionLinesAmongStringMerges() throws IOException {
        ObjectNode root = TinyTokenizers.bpe(false);
        ((ArrayNode) root.get("model").get("merges")).insert(0, "#version: 0.2");
        TokenizerJsonDocument doc = TokenizerJsonDocument.read(TinyTokenizers.write(dir, root));
        JsonNode merges = doc.trimmedTo(5).json().get("model").get("merges");
        assertThat(merges.toString()).isEqualTo("[\"#version: 0.2\",\"a b\"]");
    }
}
