package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.formats.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenizerFolderTest {
    private static final Path REFERENCE = TestData.root().resolve("vectors/tokenizer");

    @TempDir
    Path dir;

    /** What transformers 5.17 loaded from bpe-folder: {@code get_vocab()} and {@code len()} (make.py). */
    private static JsonNode transformersView() throws IOException {
        return TinyTokenizers.JSON.readTree(REFERENCE.resolve("bpe-folder/expected.json").toFile());
    }

    private static Map<String, Integer> vocab(JsonNode expected) {
        return TinyTokenizers.JSON.convertValue(expected.get("vocab"), new TypeReference<>() { });
    }

    private void copy(String from, String to) throws IOException {
        Files.copy(REFERENCE.resolve(from), dir.resolve(to));
    }

    @Test
    void seesAFolderTransformersSavedAsTransformersLoadsIt() throws IOException {
        TokenizerFolder folder = TokenizerFolder.of(REFERENCE.resolve("bpe-folder"));
        assertThat(folder.files()).containsExactlyInAnyOrder(TokenizerFile.TOKENIZER_JSON,
                TokenizerFile.TOKENIZER_CONFIG, TokenizerFile.CHAT_TEMPLATE_JINJA);
        assertThat(folder.kind()).isEqualTo(TokenizerKind.TOKENIZER_JSON);
        Tokenizer t = folder.tokenizer();
        assertThat(t.size()).isEqualTo(transformersView().get("len").intValue());
        assertThat(t.vocab()).isEqualTo(vocab(transformersView()));
        assertThat(folder.chatTemplates().defaultTemplate()).contains(
                "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}");
        assertThat(folder.specialTokens().pad()).contains("<pad>");
    }

    @Test
    void addsTheSpecialTokensTheConfigNamesAndTheTokenizerLacks() throws IOException {
        // The tokenizer.json before transformers added <pad>: loading it with the config adds <pad> as 14.
        copy("bpe.json", "tokenizer.json");
        copy("bpe-folder/tokenizer_config.json", "tokenizer_config.json");
        Tokenizer t = TokenizerFolder.of(dir).tokenizer();
        assertThat(Tokenizer.read(dir.resolve("tokenizer.json")).size()).isEqualTo(14);
        assertThat(t.size()).isEqualTo(15);
        assertThat(t.vocab()).isEqualTo(vocab(transformersView()));
        assertThat(t.addedTokens().get(14)).isEqualTo(AddedToken.of("<pad>", true));
        // <unk> was a vocabulary token only; as a special token it becomes an added one, with its id.
        assertThat(t.addedTokens().get(0)).isEqualTo(AddedToken.of("<unk>", true));
    }

    @Test
    void appliesTheAddedTokensDecoderAndChecksItsIds() throws IOException {
        copy("bpe.json", "tokenizer.json");
        Path config = dir.resolve("tokenizer_config.json");
        Files.copy(REFERENCE.resolve("tokenizer_config-v4.json"), config);
        TokenizerFolder folder = TokenizerFolder.of(dir);
        Tokenizer t = folder.tokenizer();
        assertThat(t.size()).isEqualTo(14);
        assertThat(t.addedTokens().keySet()).containsExactly(0, 1, 2, 11, 12, 13);
        assertThat(folder.chatTemplates().defaultTemplate())
                .contains("{% for m in messages %}«{{ m['content'] }}»\n{% endfor %}");

        String v4 = Files.readString(config);
        Files.writeString(config, v4.replace("\"11\": {", "\"12\": {"));
        assertThatThrownBy(folder::tokenizer).isInstanceOf(TokenizerFormatException.class).hasMessage(config
                + ": added_tokens_decoder gives \"<|im_start|>\" id 12, but tokenizer.json gives it id 11");
        Files.writeString(config, v4.replace("\"11\": {\n      \"content\": \"<|im_start|>\"",
                "\"20\": {\n      \"content\": \"<pad>\""));
        assertThatThrownBy(folder::tokenizer).isInstanceOf(TokenizerFormatException.class).hasMessage(config
                + ": added_tokens_decoder gives \"<pad>\" id 20, but it would be loaded as id 14 (the next after the"
                + " 14 ids in use)");
    }

    @Test
    void specialTokensMapCountsOnlyWithoutAnAddedTokensDecoder() throws IOException {
        copy("bpe.json", "tokenizer.json");
        Files.writeString(dir.resolve("special_tokens_map.json"), """
                {"pad_token": {"content": "<pad2>", "lstrip": false}, "additional_special_tokens": ["<x>"]}""");
        Path config = dir.resolve("tokenizer_config.json");
        Files.writeString(config, "{\"pad_token\": \"<pad>\", \"bos_token\": \"<s>\"}");
        SpecialTokens legacy = TokenizerFolder.of(dir).specialTokens();
        assertThat(legacy.pad()).contains("<pad2>");
        assertThat(legacy.bos()).contains("<s>");
        assertThat(legacy.additional()).containsExactly(AddedToken.of("<x>", true));
        assertThat(TokenizerFolder.of(dir).tokenizer().vocab()).containsEntry("<pad2>", 14).containsEntry("<x>", 15)
                .doesNotContainKey("<pad>");

        Files.writeString(config, "{\"pad_token\": \"<pad>\", \"added_tokens_decoder\": {}}");
        SpecialTokens modern = TokenizerFolder.of(dir).specialTokens();
        assertThat(modern.pad()).contains("<pad>");
        assertThat(modern.additional()).isEmpty();
    }

    @Test
    void templateFilesReplaceTheConfigTemplates() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"from config\"}");
        assertThat(TokenizerFolder.of(dir).chatTemplates()).isEqualTo(ChatTemplates.of("from config"));
        Files.writeString(dir.resolve("chat_template.jinja"), "from file");
        Files.createDirectory(dir.resolve("additional_chat_templates"));
        Files.writeString(dir.resolve("additional_chat_templates/rag.jinja"), "rag");
        Files.writeString(dir.resolve("additional_chat_templates/notes.txt"), "not a template");
        assertThat(TokenizerFolder.of(dir).chatTemplates().templates())
                .containsExactly(Map.entry("default", "from file"), Map.entry("rag", "rag"));
    }

    @Test
    void recognisesASentencePieceOnlyFolderAndRefusesItsTokens() throws IOException {
        Files.write(dir.resolve("tokenizer.model"), new byte[]{10, 3, 60, 115, 62});
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\", \"chat_template\": \"T\"}");
        TokenizerFolder folder = TokenizerFolder.of(dir);
        assertThat(folder.kind()).isEqualTo(TokenizerKind.SENTENCEPIECE_ONLY);
        assertThat(folder.files()).containsExactlyInAnyOrder(TokenizerFile.SENTENCEPIECE_MODEL,
                TokenizerFile.TOKENIZER_CONFIG);
        assertThat(folder.specialTokens().bos()).contains("<s>");
        assertThat(folder.chatTemplates().defaultTemplate()).contains("T");
        assertThatThrownBy(folder::tokenizer).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(dir.resolve("tokenizer.model") + ": a SentencePiece model without tokenizer.json: Graft "
                        + "reads the tokens of tokenizer.json or vocab.json + merges.txt only");
        // With a tokenizer.json beside it (Llama 2's layout) the tokenizer.json is read.
        copy("bpe.json", "tokenizer.json");
        assertThat(TokenizerFolder.of(dir).kind()).isEqualTo(TokenizerKind.TOKENIZER_JSON);
    }

    @Test
    void aFolderWithoutTokenizerAndAPathThatIsNoFolder() throws IOException {
        TokenizerFolder empty = TokenizerFolder.of(dir);
        assertThat(empty.kind()).isEqualTo(TokenizerKind.NONE);
        assertThat(empty.files()).isEmpty();
        assertThat(empty.config()).isEmpty();
        assertThat(empty.chatTemplates().isEmpty()).isTrue();
        assertThatThrownBy(empty::tokenizer).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(dir + ": no tokenizer: neither tokenizer.json nor vocab.json + merges.txt");
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> TokenizerFolder.of(missing)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(missing + ": no such folder");
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        assertThatThrownBy(() -> TokenizerFolder.of(file)).hasMessage(file + ": not a folder");
    }

    @Test
    void comparesTheConfigVocabSizeWithTheTokenizers() throws IOException {
        copy("bpe.json", "tokenizer.json");
        copy("bpe-folder/tokenizer_config.json", "tokenizer_config.json");
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 16}");
        VocabSizes padded = TokenizerFolder.of(dir).vocabSizes();
        assertThat(padded).isEqualTo(new VocabSizes(OptionalInt.of(16), 15, 11));
        assertThat(padded.fitsConfig()).isTrue();
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 12}");
        VocabSizes short12 = TokenizerFolder.of(dir).vocabSizes();
        assertThat(short12).isEqualTo(new VocabSizes(OptionalInt.of(12), 15, 11));
        assertThat(short12.fitsConfig()).isFalse();
        Files.delete(dir.resolve("config.json"));
        assertThat(TokenizerFolder.of(dir).vocabSizes()).isEqualTo(new VocabSizes(OptionalInt.empty(), 15, 11));
    }

    @Test
    void readsTheSlowBpeFiles() throws IOException {
        copy("vocab-merges/vocab.json", "vocab.json");
        copy("vocab-merges/merges.txt", "merges.txt");
        Files.writeString(dir.resolve("added_tokens.json"), "{\"<|im_end|>\": 12, \"<|im_start|>\": 11}");
        TokenizerFolder folder = TokenizerFolder.of(dir);
        assertThat(folder.kind()).isEqualTo(TokenizerKind.VOCAB_AND_MERGES);
        Tokenizer t = folder.tokenizer();
        Tokenizer json = Tokenizer.read(REFERENCE.resolve("bpe.json"));
        assertThat(t.modelVocabulary().tokens()).isEqualTo(json.modelVocabulary().tokens());
        assertThat(t.merges()).isEqualTo(json.merges());
        assertThat(t.size()).isEqualTo(13);
        assertThat(t.addedTokens()).containsExactly(Map.entry(11, AddedToken.of("<|im_start|>", false)),
                Map.entry(12, AddedToken.of("<|im_end|>", false)));
        assertThat(t.source()).isEqualTo(dir.resolve("vocab.json"));
    }
}
