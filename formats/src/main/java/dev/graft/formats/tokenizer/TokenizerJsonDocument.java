package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.json.SerdeJson;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * A whole {@code tokenizer.json} kept as a tree, for writing a changed tokenizer: the added tokens and the
 * vocabulary can be changed; the normalizer, pre-tokenizer, post-processor, decoder and every other field, known or
 * not, are written back with the same content, in the same order, as serde_json writes them (pretty, or on one line
 * when the file was). A file the tokenizers library wrote and Graft did not change is reproduced byte for byte.
 *
 * <p>Every version is checked by the same rules as {@link Tokenizer#read}, so an edit that
 * would give two tokens one id is refused rather than written. Immutable.
 */
public final class TokenizerJsonDocument {
    public static final String FILE_NAME = "tokenizer.json";
    /** The field order of an added token as the tokenizers library writes it. */
    private static final String[] FLAG_FIELDS = {"single_word", "lstrip", "rstrip", "normalized", "special"};

    private final Path source;
    private final ObjectNode root;
    private final boolean pretty;
    private final boolean trailingNewline;
    private final Tokenizer tokenizer;

    private TokenizerJsonDocument(Path source, ObjectNode root, boolean pretty, boolean trailingNewline) {
        this.source = source;
        this.root = root;
        this.pretty = pretty;
        this.trailingNewline = trailingNewline;
        this.tokenizer = TokenizerJsonReader.read(source, root);
    }

    /**
     * Reads and checks a {@code tokenizer.json}.
     *
     * @throws TokenizerFormatException for invalid JSON or any token fact the reader refuses
     */
    public static TokenizerJsonDocument read(Path file) {
        byte[] bytes = JsonInput.bytes(file, FILE_NAME);
        JsonNode tree = JsonInput.tree(file, bytes, FILE_NAME);
        if (!(tree instanceof ObjectNode o)) {
            throw new TokenizerFormatException(file, "not a JSON object");
        }
        return new TokenizerJsonDocument(file, o, newlineBeforeFirstKey(bytes), endsWithNewline(bytes));
    }

    /** The token facts of this version. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** A copy of the whole tree. */
    public ObjectNode json() {
        return root.deepCopy();
    }

    /**
     * A copy whose {@code added_tokens} are exactly these, in id order. An entry whose content was already there
     * keeps its fields (unknown ones included) with the id and flags set; a new one is written with the fields in
     * the tokenizers library's order. Usually given {@code tokenizer().addTokens(…).addedTokens()}.
     *
     * @throws TokenizerFormatException when the result would not load with these ids
     */
    public TokenizerJsonDocument withAddedTokens(SortedMap<Integer, AddedToken> tokens) {
        ObjectNode copy = root.deepCopy();
        Map<String, ObjectNode> before = new HashMap<>();
        if (copy.get("added_tokens") instanceof ArrayNode old) {
            old.forEach(e -> {
                if (e instanceof ObjectNode o && o.path("content").isTextual()) {
                    before.putIfAbsent(o.get("content").textValue(), o);
                }
            });
        }
        ArrayNode out = copy.arrayNode();
        tokens.forEach((id, t) -> {
            ObjectNode e = before.containsKey(t.content()) ? before.remove(t.content()) : copy.objectNode();
            e.put("id", id);
            e.put("content", t.content());
            boolean[] flags = {t.singleWord(), t.lstrip(), t.rstrip(), t.normalized(), t.special()};
            for (int i = 0; i < flags.length; i++) {
                e.put(FLAG_FIELDS[i], flags[i]);
            }
            out.add(e);
        });
        copy.set("added_tokens", out);
        return new TokenizerJsonDocument(source, copy, pretty, trailingNewline);
    }

    /**
     * A copy without the ids from {@code size} on, as mergekit trims a tokenizer longer than its model's
     * {@code vocab_size}: vocabulary entries and added tokens with those ids go, and so does every merge that
     * involves one of them (its two tokens or its result). A Unigram vocabulary loses its tail.
     *
     * @throws IllegalArgumentException when {@code size} is negative
     * @throws TokenizerFormatException when the trimmed tokenizer would lose the Unigram model's unknown piece
     */
    public TokenizerJsonDocument trimmedTo(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("a tokenizer cannot be trimmed to " + size + " tokens");
        }
        if (size >= tokenizer.size()) {
            return this;
        }
        ObjectNode copy = root.deepCopy();
        ObjectNode model = (ObjectNode) copy.get("model");
        JsonNode vocab = model.get("vocab");
        if (vocab instanceof ArrayNode pieces) {
            JsonNode unkId = model.path("unk_id");
            if (unkId.isInt() && unkId.intValue() >= size) {
                throw new TokenizerFormatException(source, "cannot trim to " + size + " tokens: model.unk_id "
                        + unkId.intValue() + " would be removed");
            }
            while (pieces.size() > size) {
                pieces.remove(pieces.size() - 1);
            }
        } else {
            ObjectNode kept = copy.objectNode();
            vocab.properties().forEach(e -> {
                if (e.getValue().intValue() < size) {
                    kept.set(e.getKey(), e.getValue());
                }
            });
            model.set("vocab", kept);
        }
        if (tokenizer.modelType() == TokenizerModelType.BPE) {
            ArrayNode kept = copy.arrayNode();
            int k = 0;
            for (JsonNode merge : model.get("merges")) {
                // "#version" lines are not merges: the reader skips them, and they stay.
                if (merge.isTextual() && merge.textValue().startsWith("#version")) {
                    kept.add(merge);
                } else if (tokenizer.mergeWithin(k++, size)) {
                    kept.add(merge);
                }
            }
            model.set("merges", kept);
        }
        if (copy.get("added_tokens") instanceof ArrayNode added) {
            ArrayNode kept = copy.arrayNode();
            added.forEach(e -> {
                if (e.path("id").intValue() < size) {
                    kept.add(e);
                }
            });
            copy.set("added_tokens", kept);
        }
        return new TokenizerJsonDocument(source, copy, pretty, trailingNewline);
    }

    /** The file's text: serde_json's layout, pretty or compact as the source was, with its final newline if any. */
    public String toJson() {
        return (pretty ? SerdeJson.pretty(root) : SerdeJson.compact(root)) + (trailingNewline ? "\n" : "");
    }

    /**
     * Writes this version atomically.
     *
     * @throws dev.graft.formats.io.OutputExistsException when the target exists and {@code overwrite} is false
     */
    public void write(Path target, boolean overwrite) {
        AtomicFile.writeString(target, toJson(), overwrite);
    }

    /** serde's pretty printer puts a newline right after the opening brace; its compact one never writes one. */
    private static boolean newlineBeforeFirstKey(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] != '{') {
            i++;
        }
        for (i++; i < bytes.length && bytes[i] != '"' && bytes[i] != '}'; i++) {
            if (bytes[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithNewline(byte[] bytes) {
        return bytes.length > 0 && bytes[bytes.length - 1] == '\n';
    }
}
