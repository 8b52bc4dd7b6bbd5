package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads the slow BPE tokenizers' files (GPT-2's layout): {@code vocab.json} (token → id), {@code merges.txt} (one
 * {@code "a b"} merge a line, {@code #version} lines skipped, as the tokenizers library's {@code BPE::read_file}
 * reads it) and the optional {@code added_tokens.json} (token → id, applied in id order as transformers does).
 */
final class LegacyBpeReader {
    private LegacyBpeReader() {
    }

    static Tokenizer read(Path vocabJson, Path mergesTxt, Path addedTokensJson) {
        Vocabulary vocabulary = TokenizerJsonReader.readVocabJson(vocabJson);
        List<String> left = new ArrayList<>();
        List<String> right = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        String text = utf8(mergesTxt);
        // Rust's lines(): split at \n, drop one trailing \r, no empty line after a final newline.
        String[] all = text.split("\n", -1);
        int count = text.endsWith("\n") ? all.length - 1 : all.length;
        for (int i = 0; i < count; i++) {
            String line = all[i].endsWith("\r") ? all[i].substring(0, all[i].length() - 1) : all[i];
            if (line.startsWith("#version")) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space < 0 || line.indexOf(' ', space + 1) >= 0) {
                throw new TokenizerFormatException(mergesTxt, "line " + (i + 1) + " " + Quoted.of(line)
                        + " is not two tokens separated by one space");
            }
            left.add(line.substring(0, space));
            right.add(line.substring(space + 1));
            lines.add(i + 1);
        }
        int[][] merges = MergeTable.resolve(mergesTxt, vocabulary, left, right, null, k -> "line " + lines.get(k));
        List<Map.Entry<Integer, AddedToken>> added = addedTokensJson == null ? List.of() : addedTokens(addedTokensJson);
        return Tokenizer.of(vocabJson, TokenizerModelType.BPE, vocabulary, merges, null, added, addedTokensJson,
                "added_tokens.json");
    }

    private static List<Map.Entry<Integer, AddedToken>> addedTokens(Path file) {
        JsonNode tree = JsonInput.tree(file, "added_tokens.json");
        if (!tree.isObject()) {
            throw new TokenizerFormatException(file, "not a JSON object");
        }
        List<Map.Entry<Integer, AddedToken>> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : tree.properties()) {
            JsonNode id = e.getValue();
            if (!id.isInt() || id.intValue() < 0) {
                throw new TokenizerFormatException(file, Quoted.of(e.getKey()) + " has no token id: " + id);
            }
            // transformers adds them with add_tokens(str): normalized, not special until a special-token entry says so.
            out.add(Map.entry(id.intValue(), AddedToken.of(e.getKey(), false)));
        }
        out.sort(Comparator.comparing(Map.Entry::getKey));
        return out;
    }

    private static String utf8(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(JsonInput.bytes(file, "merges.txt"))).toString();
        } catch (CharacterCodingException e) {
            throw new TokenizerFormatException(file, "not UTF-8 text", e);
        }
    }
}
