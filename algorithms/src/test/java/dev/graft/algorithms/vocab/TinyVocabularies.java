package dev.graft.algorithms.vocab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.json.SerdeJson;
import dev.graft.formats.testing.TokenizerTrees;
import dev.graft.testmodels.TinyLlama;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Tiny Llama folders with tokenizers of their own: one BPE over a, b, c ({@code <unk> <s> </s> a b c ab bc abc},
 * ids 0-8, merges a+b, ab+c, b+c, a whitespace pre-tokenizer; {@code <unk> <s> </s>} also added as special tokens),
 * plus each folder's added tokens after it. Embedding rows are the tokenizer's size unless given.
 */
final class TinyVocabularies {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] VOCAB = {"<unk>", "<s>", "</s>", "a", "b", "c", "ab", "bc", "abc"};
    static final int HIDDEN = 4;

    private TinyVocabularies() {
    }

    /** An added token of a test tokenizer. */
    record Added(String content, boolean special) {
    }

    /**
     * Writes a model folder.
     *
     * @param rows   embedding rows and config.json vocab_size
     * @param config tokenizer_config.json's fields besides {@code bos/eos/unk_token}
     */
    static Path model(Path dir, long seed, int rows, Map<String, Object> config, Added... added) {
        TinyLlama.builder().layers(1).hidden(HIDDEN).intermediate(8).vocab(rows).heads(2).kvHeads(2)
                .dtype(DType.F32).seed(seed).writeTo(dir);
        try {
            Files.writeString(dir.resolve("tokenizer.json"), SerdeJson.pretty(tokenizer(added)));
            ObjectNode c = JSON.createObjectNode();
            c.put("bos_token", "<s>");
            c.put("eos_token", "</s>");
            c.put("unk_token", "<unk>");
            c.put("tokenizer_class", "PreTrainedTokenizerFast");
            config.forEach((k, v) -> c.set(k, JSON.valueToTree(v)));
            Files.writeString(dir.resolve("tokenizer_config.json"), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(c));
            ObjectNode model = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
            model.put("bos_token_id", 1);
            model.put("eos_token_id", 2);
            Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(model));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The tokenizer.json of the shared BPE with these added tokens from id 9 on. */
    static ObjectNode tokenizer(Added... more) {
        ObjectNode root = TokenizerTrees.header();
        ArrayNode list = root.putArray("added_tokens");
        for (int i = 0; i < 3; i++) {
            list.add(TokenizerTrees.added(i, VOCAB[i], false, true));
        }
        for (int i = 0; i < more.length; i++) {
            list.add(TokenizerTrees.added(VOCAB.length + i, more[i].content(), false, more[i].special()));
        }
        TokenizerTrees.pipeline(root);
        TokenizerTrees.bpeModel(root, "<unk>", VOCAB).add("a b").add("ab c").add("b c");
        return root;
    }

    /** A tensor's rows as float32, row by row. */
    static float[][] rows(Path model, String tensor) {
        try (var source = dev.graft.formats.model.ModelSource.open(model)) {
            var t = source.tensor(tensor);
            int n = (int) t.shape().dim(0);
            int d = (int) t.shape().dim(1);
            float[] all = t.toFloatArray();
            float[][] out = new float[n][d];
            for (int r = 0; r < n; r++) {
                System.arraycopy(all, r * d, out[r], 0, d);
            }
            return out;
        }
    }
}
