package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.json.SerdeJson;
import dev.graft.formats.testing.TokenizerTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny tokenizer.json files in the tokenizers library's own layout, built as trees so tests can break them. */
final class TinyTokenizers {
    static final ObjectMapper JSON = new ObjectMapper();

    private TinyTokenizers() {
    }

    /**
     * A BPE over a, b, c with a whitespace pre-tokenizer: vocab {@code <unk> a b c ab bc abc} (ids 0-6), merges
     * a+b, ab+c, b+c, and added tokens {@code <unk>} (0, in the vocabulary) and {@code <|im_start|>},
     * {@code <|im_end|>} (7, 8; the second strips the whitespace on its right).
     */
    static ObjectNode bpe(boolean pairMerges) {
        ObjectNode root = header();
        ArrayNode added = root.putArray("added_tokens");
        added.add(added(0, "<unk>", false, true));
        added.add(added(7, "<|im_start|>", false, true));
        added.add(added(8, "<|im_end|>", true, true));
        pipeline(root);
        ArrayNode merges = TokenizerTrees.bpeModel(root, "<unk>", "<unk>", "a", "b", "c", "ab", "bc", "abc");
        String[][] pairs = {{"a", "b"}, {"ab", "c"}, {"b", "c"}};
        for (String[] p : pairs) {
            if (pairMerges) {
                merges.addArray().add(p[0]).add(p[1]);
            } else {
                merges.add(p[0] + " " + p[1]);
            }
        }
        return root;
    }

    /** A BERT-like WordPiece: {@code [PAD] [UNK] [CLS] [SEP] un ##aff ##able aff} with the four specials added. */
    static ObjectNode wordPiece() {
        ObjectNode root = header();
        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {"[PAD]", "[UNK]", "[CLS]", "[SEP]"};
        for (int i = 0; i < specials.length; i++) {
            added.add(added(i, specials[i], false, true));
        }
        pipeline(root);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece");
        model.put("unk_token", "[UNK]");
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", 100);
        ObjectNode vocab = model.putObject("vocab");
        String[] tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "aff"};
        for (int i = 0; i < tokens.length; i++) {
            vocab.put(tokens[i], i);
        }
        return root;
    }

    /** A T5-like Unigram: pieces {@code <pad> </s> <unk> ▁a ▁b c}, unk_id 2, {@code <extra_id_0>} added as 6. */
    static ObjectNode unigram() {
        ObjectNode root = header();
        ArrayNode added = root.putArray("added_tokens");
        added.add(added(0, "<pad>", false, true));
        added.add(added(1, "</s>", false, true));
        added.add(added(2, "<unk>", false, true));
        added.add(added(6, "<extra_id_0>", false, true));
        pipeline(root);
        ObjectNode model = root.putObject("model");
        model.put("type", "Unigram");
        model.put("unk_id", 2);
        ArrayNode vocab = model.putArray("vocab");
        Object[][] pieces = {{"<pad>", 0.0}, {"</s>", 0.0}, {"<unk>", 0.0}, {"▁a", -1.5}, {"▁b", -2.25},
            {"c", -3.0}};
        for (Object[] p : pieces) {
            vocab.addArray().add((String) p[0]).add((Double) p[1]);
        }
        model.put("byte_fallback", false);
        return root;
    }

    static ObjectNode added(int id, String content, boolean rstrip, boolean special) {
        return TokenizerTrees.added(id, content, rstrip, special);
    }

    static Path write(Path dir, ObjectNode root) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, SerdeJson.pretty(root));
        return f;
    }

    private static ObjectNode header() {
        return TokenizerTrees.header();
    }

    private static void pipeline(ObjectNode root) {
        TokenizerTrees.pipeline(root);
    }
}
