package dev.graft.formats.tokenizer;

import dev.graft.formats.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenizerConfigTest {
    private static final Path REFERENCE = TestData.root().resolve("vectors/tokenizer");

    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        Path f = dir.resolve("tokenizer_config.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void readsATransformers4Config() {
        TokenizerConfig c = TokenizerConfig.read(REFERENCE.resolve("tokenizer_config-v4.json"));
        SpecialTokens s = c.specialTokens();
        assertThat(s.bos()).contains("<s>");
        assertThat(s.get("bos_token")).contains(new AddedToken("<s>", false, false, false, false, true));
        // An AddedToken object without "special": special all the same, as a special token is.
        assertThat(s.get("eos_token")).contains(new AddedToken("</s>", false, false, true, false, true));
        assertThat(s.unk()).contains("<unk>");
        assertThat(s.pad()).isEmpty();
        assertThat(s.additional()).containsExactly(AddedToken.of("<|im_start|>", true));
        assertThat(s.all()).extracting(AddedToken::content).containsExactly("<s>", "</s>", "<unk>", "<|im_start|>");
        assertThat(c.addedTokensDecoder().orElseThrow()).containsExactly(
                Map.entry(0, AddedToken.of("<unk>", true)), Map.entry(1, AddedToken.of("<s>", true)),
                Map.entry(2, AddedToken.of("</s>", true)), Map.entry(11, AddedToken.of("<|im_start|>", true)));
        assertThat(c.chatTemplates().defaultTemplate())
                .contains("{% for m in messages %}«{{ m['content'] }}»\n{% endfor %}");
        assertThat(c.chatTemplates().templates()).containsOnlyKeys("default");
        assertThat(c.modelMaxLength()).isEmpty();
        assertThat(c.tokenizerClass()).contains("LlamaTokenizer");
    }

    @Test
    void readsATransformers5Config() {
        TokenizerConfig c = TokenizerConfig.read(REFERENCE.resolve("bpe-folder/tokenizer_config.json"));
        assertThat(c.specialTokens().pad()).contains("<pad>");
        assertThat(c.specialTokens().additional()).extracting(AddedToken::content)
                .containsExactly("<|im_start|>", "<|im_end|>");
        assertThat(c.addedTokensDecoder()).isEmpty();
        assertThat(c.chatTemplates().isEmpty()).isTrue();
        assertThat(c.modelMaxLength()).hasValue(2048);
        assertThat(c.tokenizerClass()).contains("TokenizersBackend");
    }

    @Test
    void rewritesAnUnchangedConfigByteForByte() throws IOException {
        for (String name : new String[]{"tokenizer_config-v4.json", "bpe-folder/tokenizer_config.json"}) {
            Path f = REFERENCE.resolve(name);
            assertThat(TokenizerConfig.read(f).toJson()).as(name).isEqualTo(Files.readString(f));
        }
        // An unsorted file without a final newline keeps its order and its ending.
        String unsorted = "{\n  \"z\": 1,\n  \"bos_token\": \"<s>\",\n  \"a\": [\n    1.5,\n    \"é\"\n  ]\n}";
        assertThat(TokenizerConfig.read(write(unsorted)).toJson()).isEqualTo(unsorted);
    }

    @Test
    void changesTheAddedTokensDecoderAndChatTemplatesAndKeepsTheRest() throws IOException {
        Path f = REFERENCE.resolve("tokenizer_config-v4.json");
        TokenizerConfig c = TokenizerConfig.read(f);
        TreeMap<Integer, AddedToken> decoder = new TreeMap<>(c.addedTokensDecoder().orElseThrow());
        decoder.put(14, AddedToken.of("<pad>", true));
        Map<String, String> templates = new LinkedHashMap<>();
        templates.put("default", "D");
        templates.put("tool_use", "T");
        TokenizerConfig changed = c.withAddedTokensDecoder(decoder).withChatTemplates(new ChatTemplates(templates));

        // What Python's json.dumps writes for the same edits ("14" sorts between "11" and "2").
        assertThat(changed.toJson()).isEqualTo(Files.readString(REFERENCE.resolve("tokenizer_config-v4-changed.json")));
        assertThat(changed.addedTokensDecoder().orElseThrow()).containsKey(14);
        assertThat(changed.chatTemplates().templates()).containsExactly(Map.entry("default", "D"),
                Map.entry("tool_use", "T"));
        assertThat(changed.withChatTemplates(ChatTemplates.of("X")).json().get("chat_template").textValue())
                .isEqualTo("X");
        assertThat(changed.withChatTemplates(ChatTemplates.none()).json().has("chat_template")).isFalse();
    }

    @Test
    void readsNamedTemplatesAndModelMaxLengthForms() throws IOException {
        TokenizerConfig c = TokenizerConfig.read(write("{\"chat_template\": [{\"name\": \"default\", \"template\": "
                + "\"A\"}, {\"name\": \"rag\", \"template\": \"B\"}], \"model_max_length\": 1e+30}"));
        assertThat(c.chatTemplates().templates()).containsExactly(Map.entry("default", "A"), Map.entry("rag", "B"));
        assertThat(c.modelMaxLength()).isEmpty();
        assertThat(TokenizerConfig.read(write("{\"model_max_length\": 4096.0}")).modelMaxLength()).hasValue(4096);
        assertThat(TokenizerConfig.read(write("{\"model_max_length\": 131072}")).modelMaxLength()).hasValue(131072);
    }

    @Test
    void refusesFieldsOfTheWrongShape() throws IOException {
        Path f = write("{\"chat_template\": 3}");
        assertThatThrownBy(() -> TokenizerConfig.read(f)).isInstanceOf(TokenizerFormatException.class)
                .hasMessage(f + ": chat_template is neither a string nor a list of {\"name\", \"template\"} objects");
        write("{\"chat_template\": [{\"name\": \"x\"}]}");
        assertThatThrownBy(() -> TokenizerConfig.read(f))
                .hasMessage(f + ": chat_template[0] is not a {\"name\", \"template\"} object of two strings");
        write("{\"added_tokens_decoder\": {\"x\": {\"content\": \"<a>\"}}}");
        assertThatThrownBy(() -> TokenizerConfig.read(f))
                .hasMessage(f + ": added_tokens_decoder key \"x\" is not a token id");
        write("{\"added_tokens_decoder\": {\"5\": {\"content\": \"<a>\"}, \"6\": {\"content\": \"<a>\"}}}");
        assertThatThrownBy(() -> TokenizerConfig.read(f))
                .hasMessage(f + ": added_tokens_decoder gives \"<a>\" two ids, 5 and 6");
        write("{\"added_tokens_decoder\": {\"5\": {\"content\": \"<a>\", \"lstrip\": 1}}}");
        assertThatThrownBy(() -> TokenizerConfig.read(f))
                .hasMessage(f + ": added_tokens_decoder[\"5\"] \"lstrip\" is not true or false");
        write("{\"pad_token\": 0}");
        assertThatThrownBy(() -> TokenizerConfig.read(f))
                .hasMessage(f + ": pad_token is neither a string nor an AddedToken object");
        write("{\"bos_token\": \"<s>\",");
        assertThatThrownBy(() -> TokenizerConfig.read(f)).hasMessage(f + ": invalid JSON at line 1, column 21: "
                + "Unexpected end-of-input within/between Object entries");
    }
}
