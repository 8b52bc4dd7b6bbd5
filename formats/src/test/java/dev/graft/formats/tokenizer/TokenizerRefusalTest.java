package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.json.SerdeJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenizerRefusalTest {
    @TempDir
    Path dir;

    private void refused(ObjectNode root, String message) throws IOException {
        Path f = TinyTokenizers.write(dir, root);
        assertThatThrownBy(() -> Tokenizer.read(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": " + message);
        // The tree-based document checks by the same rules.
        assertThatThrownBy(() -> TokenizerJsonDocument.read(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": " + message);
    }

    private static ObjectNode bpe(Consumer<ObjectNode> change) {
        ObjectNode root = TinyTokenizers.bpe(false);
        change.accept(root);
        return root;
    }

    private static ObjectNode model(ObjectNode root) {
        return (ObjectNode) root.get("model");
    }

    private static ObjectNode vocab(ObjectNode root) {
        return (ObjectNode) root.get("model").get("vocab");
    }

    private static ArrayNode added(ObjectNode root) {
        return (ArrayNode) root.get("added_tokens");
    }

    @Test
    void truncatedJson() throws IOException {
        String full = SerdeJson.pretty(TinyTokenizers.bpe(false));
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, full.substring(0, full.indexOf("\"abc\": 6")));
        assertThatThrownBy(() -> Tokenizer.read(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": invalid JSON at line 56, column 7: Unexpected end-of-input within/between"
                        + " Object entries");
        assertThatThrownBy(() -> TokenizerJsonDocument.read(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": invalid JSON at line 56, column 7: Unexpected end-of-input within/between"
                        + " Object entries");
    }

    @Test
    void emptyFileAndTrailingContent() throws IOException {
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, "");
        assertThatThrownBy(() -> Tokenizer.read(f)).hasMessage(f + ": invalid JSON: the file is empty");
        Files.writeString(f, SerdeJson.compact(TinyTokenizers.bpe(false)) + " {}");
        assertThatThrownBy(() -> Tokenizer.read(f))
                .hasMessage(f + ": invalid JSON: content after the top-level object");
        Files.writeString(f, "[1]");
        assertThatThrownBy(() -> Tokenizer.read(f)).hasMessage(f + ": not a JSON object");
    }

    @Test
    void anAddedTokenWhoseIdTheVocabularyGivesToAnotherToken() throws IOException {
        refused(bpe(r -> ((ObjectNode) added(r).get(1)).put("id", 4)),
                "added token \"<|im_start|>\" has id 4, which the vocabulary gives to \"ab\"");
    }

    @Test
    void anAddedVocabularyTokenWithAnotherId() throws IOException {
        refused(bpe(r -> ((ObjectNode) added(r).get(0)).put("id", 3)),
                "added token \"<unk>\" has id 3, but the vocabulary gives it id 0");
    }

    @Test
    void aVocabularyIdOutOfRange() throws IOException {
        refused(bpe(r -> vocab(r).put("bc", 9)),
                "model.vocab gives \"bc\" id 9, out of range: its 7 entries must have the ids 0..6");
        refused(bpe(r -> vocab(r).put("bc", -1)),
                "model.vocab gives \"bc\" id -1, out of range: its 7 entries must have the ids 0..6");
        refused(bpe(r -> vocab(r).put("bc", 1.5)), "model.vocab[\"bc\"] is not a token id: 1.5");
        refused(bpe(r -> vocab(r).put("bc", 5_000_000_000L)), "model.vocab[\"bc\"] is not a token id: 5000000000");
    }

    @Test
    void aDuplicateId() throws IOException {
        refused(bpe(r -> vocab(r).put("bc", 4)), "model.vocab gives id 4 to both \"ab\" and \"bc\"");
        refused(bpe(r -> {
            ((ObjectNode) added(r).get(2)).put("id", 7);
        }), "added tokens \"<|im_start|>\" and \"<|im_end|>\" both have id 7");
    }

    @Test
    void aTokenListedTwice() throws IOException {
        Path f = dir.resolve("tokenizer.json");
        String json = SerdeJson.pretty(TinyTokenizers.bpe(false)).replace("\"bc\": 5", "\"ab\": 5");
        Files.writeString(f, json);
        assertThatThrownBy(() -> Tokenizer.read(f)).hasMessage(f + ": model.vocab lists \"ab\" twice (ids 4 and 5)");
        refused(bpe(r -> ((ObjectNode) added(r).get(2)).put("content", "<|im_start|>")),
                "added token \"<|im_start|>\" is listed twice (ids 7 and 8)");
    }

    @Test
    void anAddedTokenTheLoaderWouldGiveAnotherId() throws IOException {
        refused(bpe(r -> ((ObjectNode) added(r).get(2)).put("id", 10)),
                "added token \"<|im_end|>\" has id 10, but it would be loaded as id 8 (tokens outside the vocabulary"
                        + " of 7 take the next ids, in added_tokens order)");
        // Out of id order: the loader assigns in list order, so the ids would swap.
        refused(bpe(r -> {
            ((ObjectNode) added(r).get(1)).put("id", 8);
            ((ObjectNode) added(r).get(2)).put("id", 7);
        }), "added token \"<|im_start|>\" has id 8, but it would be loaded as id 7 (tokens outside the vocabulary"
                + " of 7 take the next ids, in added_tokens order)");
    }

    @Test
    void addedTokensMissingAFieldOrEmpty() throws IOException {
        refused(bpe(r -> ((ObjectNode) added(r).get(1)).remove("normalized")),
                "added_tokens[1] (\"<|im_start|>\") has no \"normalized\"");
        refused(bpe(r -> ((ObjectNode) added(r).get(1)).remove("id")), "added_tokens[1] has no \"id\"");
        refused(bpe(r -> ((ObjectNode) added(r).get(1)).put("special", "yes")),
                "added_tokens[1] \"special\" is not true or false");
        refused(bpe(r -> ((ObjectNode) added(r).get(1)).put("content", "")),
                "added_tokens[1] (id 7) has an empty content");
        refused(bpe(r -> r.put("added_tokens", "none")), "added_tokens is not a list");
    }

    @Test
    void mergesTheModelCannotBuild() throws IOException {
        refused(bpe(r -> ((ArrayNode) model(r).get("merges")).add("a q")),
                "model.merges[3] (\"a\", \"q\"): \"q\" is not in the vocabulary");
        refused(bpe(r -> ((ArrayNode) model(r).get("merges")).add("c a")),
                "model.merges[3] (\"c\", \"a\"): their merge \"ca\" is not in the vocabulary");
        refused(bpe(r -> ((ArrayNode) model(r).get("merges")).add("a  b")),
                "model.merges[3] \"a  b\" is not two tokens separated by one space");
        refused(bpe(r -> ((ArrayNode) model(r).get("merges")).addArray().add("a").add("b")),
                "model.merges[3] is an [a, b] pair, but the merges before it are \"a b\" strings");
        refused(bpe(r -> model(r).remove("merges")), "model is BPE but has no \"merges\"");
    }

    @Test
    void modelsOfTheWrongShape() throws IOException {
        refused(bpe(r -> model(r).put("type", "Wordpiece")),
                "unknown model.type \"Wordpiece\" (tokenizers knows BPE, WordPiece, WordLevel and Unigram)");
        refused(bpe(r -> model(r).put("type", "Unigram")),
                "model.vocab of a Unigram model must be a list of [piece, score] pairs");
        refused(bpe(r -> model(r).remove("vocab")), "model has no \"vocab\"");
        refused(bpe(r -> r.remove("model")), "has no \"model\"");
        refused(bpe(r -> r.put("version", "2.0")), "unknown version \"2.0\" (tokenizers reads version \"1.0\")");
        ObjectNode uni = TinyTokenizers.unigram();
        model(uni).put("unk_id", 6);
        refused(uni, "model.unk_id 6 is outside the vocabulary of 6 pieces");
        ObjectNode dup = TinyTokenizers.unigram();
        ((ArrayNode) model(dup).get("vocab")).addArray().add("c").add(-4.0);
        refused(dup, "model.vocab lists \"c\" twice (ids 5 and 6)");
    }
}
