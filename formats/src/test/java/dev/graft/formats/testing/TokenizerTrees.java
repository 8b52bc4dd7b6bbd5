package dev.graft.formats.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The parts of a tokenizer.json in the tokenizers library's own field order, for tests that write tiny tokenizers:
 * the header, a pipeline with a whitespace pre-tokenizer, added-token entries and a BPE model.
 */
public final class TokenizerTrees {
    public static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerTrees() {
    }

    /** {@code version}, {@code truncation}, {@code padding}: the fields before {@code added_tokens}. */
    public static ObjectNode header() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        return root;
    }

    /** No normalizer, post-processor or decoder; a {@code Whitespace} pre-tokenizer. */
    public static void pipeline(ObjectNode root) {
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        root.putNull("post_processor");
        root.putNull("decoder");
    }

    /** An {@code added_tokens} entry: normalized unless special, no stripping but {@code rstrip} as given. */
    public static ObjectNode added(int id, String content, boolean rstrip, boolean special) {
        ObjectNode t = JSON.createObjectNode();
        t.put("id", id);
        t.put("content", content);
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", rstrip);
        t.put("normalized", !special);
        t.put("special", special);
        return t;
    }

    /**
     * A BPE {@code model} with tokenizers' defaults, the vocabulary in id order; its {@code merges} array is returned
     * empty for the caller to fill (as {@code "a b"} strings or {@code ["a", "b"]} pairs).
     */
    public static ArrayNode bpeModel(ObjectNode root, String unkToken, String... vocabInIdOrder) {
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", unkToken);
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < vocabInIdOrder.length; i++) {
            vocab.put(vocabInIdOrder[i], i);
        }
        return model.putArray("merges");
    }
}
