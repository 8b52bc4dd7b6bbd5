package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.formats.io.FileAccessException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads the token facts of a {@code tokenizer.json} in one streaming pass: the model's vocabulary and merges go
 * straight into arrays (no tree of 150k nodes), everything else is skipped. The rules are those of the tokenizers
 * library's deserialiser ({@code serialization.rs}, {@code models/*}/serialization.rs): version {@code 1.0},
 * {@code model.type} optional (then BPE when there are merges, Unigram when the vocabulary is a list, WordPiece
 * otherwise), merges as {@code "a b"} strings or {@code ["a", "b"]} pairs with {@code #version} lines skipped, every
 * merge's tokens and result in the vocabulary, and every field of an added token present.
 */
final class TokenizerJsonReader {
    private static final List<String> FLAGS = List.of("single_word", "lstrip", "rstrip", "normalized", "special");

    private final Path file;
    private final JsonParser p;

    private TokenizerJsonReader(Path file, JsonParser p) {
        this.file = file;
        this.p = p;
    }

    /** Reads a {@code tokenizer.json} file. */
    static Tokenizer read(Path file) {
        byte[] bytes = JsonInput.bytes(file, TokenizerJsonDocument.FILE_NAME);
        try (JsonParser parser = JsonInput.FACTORY.createParser(bytes)) {
            return new TokenizerJsonReader(file, parser).tokenizer();
        } catch (JacksonException e) {
            throw JsonInput.invalid(file, e);
        } catch (IOException e) {
            throw new FileAccessException(file, "cannot read " + TokenizerJsonDocument.FILE_NAME, e);
        }
    }

    /** Reads a parsed {@code tokenizer.json} by the same rules, {@code file} naming it in messages. */
    static Tokenizer read(Path file, JsonNode tree) {
        try (JsonParser parser = tree.traverse(JsonInput.MAPPER)) {
            return new TokenizerJsonReader(file, parser).tokenizer();
        } catch (IOException e) {
            throw new IllegalStateException("reading a tree in memory failed", e);
        }
    }

    /** Reads a {@code vocab.json}: one object of token ids, as the vocabulary of a tokenizer.json's BPE model. */
    static Vocabulary readVocabJson(Path file) {
        byte[] bytes = JsonInput.bytes(file, "vocab.json");
        try (JsonParser parser = JsonInput.FACTORY.createParser(bytes)) {
            TokenizerJsonReader reader = new TokenizerJsonReader(file, parser);
            ModelParts m = reader.new ModelParts();
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw reader.fail(first == null ? "invalid JSON: the file is empty" : "not a JSON object");
            }
            reader.vocab(first, m, "vocab.json");
            if (parser.nextToken() != null) {
                throw reader.fail("invalid JSON: content after the top-level object");
            }
            return Vocabulary.of(m.tokens, m.ids, file, "vocab.json");
        } catch (JacksonException e) {
            throw JsonInput.invalid(file, e);
        } catch (IOException e) {
            throw new FileAccessException(file, "cannot read vocab.json", e);
        }
    }

    private Tokenizer tokenizer() throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw fail(first == null ? "invalid JSON: the file is empty" : "not a JSON object");
        }
        ModelParts model = null;
        List<Map.Entry<Integer, AddedToken>> added = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "version" -> {
                    if (value != JsonToken.VALUE_STRING || !p.getText().equals("1.0")) {
                        throw fail("unknown version " + (value == JsonToken.VALUE_STRING ? Quoted.of(p.getText())
                                : p.getText()) + " (tokenizers reads version \"1.0\")");
                    }
                }
                case "added_tokens" -> added = addedTokens(value);
                case "model" -> model = model(value);
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw fail("invalid JSON: content after the top-level object");
        }
        if (model == null) {
            throw fail("has no \"model\"");
        }
        return model.build(added);
    }

    private List<Map.Entry<Integer, AddedToken>> addedTokens(JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw fail("added_tokens is not a list");
        }
        List<Map.Entry<Integer, AddedToken>> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String where = "added_tokens[" + out.size() + "]";
            if (t != JsonToken.START_OBJECT) {
                throw fail(where + " is not an object");
            }
            Integer id = null;
            String content = null;
            Boolean[] flags = new Boolean[FLAGS.size()];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int flag = FLAGS.indexOf(name);
                if (name.equals("id")) {
                    if (!isTokenId(v)) {
                        throw fail(where + " \"id\" is not a token id: " + p.getText());
                    }
                    id = p.getIntValue();
                } else if (name.equals("content")) {
                    if (v != JsonToken.VALUE_STRING) {
                        throw fail(where + " \"content\" is not a string");
                    }
                    content = p.getText();
                } else if (flag >= 0) {
                    if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
                        throw fail(where + " \"" + name + "\" is not true or false");
                    }
                    flags[flag] = v == JsonToken.VALUE_TRUE;
                } else {
                    p.skipChildren();
                }
            }
            if (id == null || content == null) {
                throw fail(where + " has no \"" + (id == null ? "id" : "content") + "\"");
            }
            for (int i = 0; i < flags.length; i++) {
                if (flags[i] == null) {
                    throw fail(where + " (" + Quoted.of(content) + ") has no \"" + FLAGS.get(i) + "\"");
                }
            }
            out.add(Map.entry(id, new AddedToken(content, flags[0], flags[1], flags[2], flags[3], flags[4])));
        }
        return out;
    }

    private boolean isTokenId(JsonToken v) throws IOException {
        return v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                && p.getIntValue() >= 0;
    }

    private ModelParts model(JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw fail("model is not an object");
        }
        ModelParts m = new ModelParts();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "type" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        throw fail("model.type is not a string");
                    }
                    m.type = p.getText();
                }
                case "vocab" -> vocab(v, m, "model.vocab");
                case "merges" -> merges(v, m);
                case "unk_token" -> m.unkToken = optionalString(v, "model.unk_token");
                case "continuing_subword_prefix" -> m.prefix = optionalString(v, "model.continuing_subword_prefix");
                case "unk_id" -> {
                    if (v != JsonToken.VALUE_NULL) {
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                            throw fail("model.unk_id is not a token id: " + p.getText());
                        }
                        m.unkId = p.getIntValue();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return m;
    }

    private String optionalString(JsonToken v, String where) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw fail(where + " is not a string");
        }
        return p.getText();
    }

    private void vocab(JsonToken v, ModelParts m, String where) throws IOException {
        m.tokens = new ArrayList<>();
        if (v == JsonToken.START_OBJECT) {
            m.vocabIsList = false;
            int[] ids = new int[1024];
            int n = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String token = p.currentName();
                JsonToken id = p.nextToken();
                if (id != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                    throw fail(where + "[" + Quoted.of(token) + "] is not a token id: " + p.getText());
                }
                if (n == ids.length) {
                    ids = Arrays.copyOf(ids, n * 2);
                }
                ids[n++] = p.getIntValue();
                m.tokens.add(token);
            }
            m.ids = Arrays.copyOf(ids, n);
        } else if (v == JsonToken.START_ARRAY) {
            m.vocabIsList = true;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                String entry = where + "[" + m.tokens.size() + "]";
                if (t != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING) {
                    throw fail(entry + " is not a [piece, score] pair");
                }
                String piece = p.getText();
                if (!p.nextToken().isNumeric() || p.nextToken() != JsonToken.END_ARRAY) {
                    throw fail(entry + " is not a [piece, score] pair");
                }
                m.tokens.add(piece);
            }
        } else {
            throw fail(where + " is neither an object of token ids nor a list of [piece, score] pairs");
        }
    }

    private void merges(JsonToken v, ModelParts m) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            throw fail("model.merges is not a list");
        }
        m.mergeLeft = new ArrayList<>();
        m.mergeRight = new ArrayList<>();
        m.mergeIndex = new int[1024];
        Boolean pairs = null;
        JsonToken t;
        for (int i = 0; (t = p.nextToken()) != JsonToken.END_ARRAY; i++) {
            String where = "model.merges[" + i + "]";
            boolean pair = t == JsonToken.START_ARRAY;
            if (!pair && t != JsonToken.VALUE_STRING) {
                throw fail(where + " is neither an \"a b\" string nor an [a, b] pair");
            }
            if (pairs != null && pairs != pair) {
                throw fail(where + (pair ? " is an [a, b] pair, but the merges before it are \"a b\" strings"
                        : " is an \"a b\" string, but the merges before it are [a, b] pairs"));
            }
            pairs = pair;
            String left;
            String right;
            if (pair) {
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    throw fail(where + " is not a pair of two strings");
                }
                left = p.getText();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    throw fail(where + " is not a pair of two strings");
                }
                right = p.getText();
                if (p.nextToken() != JsonToken.END_ARRAY) {
                    throw fail(where + " is not a pair of two strings");
                }
            } else {
                String line = p.getText();
                if (line.startsWith("#version")) {
                    continue;
                }
                int space = line.indexOf(' ');
                if (space < 0 || line.indexOf(' ', space + 1) >= 0) {
                    throw fail(where + " " + Quoted.of(line) + " is not two tokens separated by one space");
                }
                left = line.substring(0, space);
                right = line.substring(space + 1);
            }
            if (m.mergeLeft.size() == m.mergeIndex.length) {
                m.mergeIndex = Arrays.copyOf(m.mergeIndex, m.mergeIndex.length * 2);
            }
            m.mergeIndex[m.mergeLeft.size()] = i;
            m.mergeLeft.add(left);
            m.mergeRight.add(right);
        }
    }

    private TokenizerFormatException fail(String message) {
        return new TokenizerFormatException(file, message);
    }

    /** The model object's fields as they arrive; {@code type} may come after the vocabulary. */
    private final class ModelParts {
        String type;
        List<String> tokens;
        int[] ids;
        boolean vocabIsList;
        List<String> mergeLeft;
        List<String> mergeRight;
        /** The position in model.merges of each merge, which "#version" lines shift. */
        int[] mergeIndex;
        String unkToken;
        Integer unkId;
        String prefix;

        Tokenizer build(List<Map.Entry<Integer, AddedToken>> added) {
            TokenizerModelType t = resolveType();
            if (tokens == null) {
                throw fail("model has no \"vocab\"");
            }
            if ((t == TokenizerModelType.UNIGRAM) != vocabIsList) {
                throw fail("model.vocab of a " + t.jsonName() + " model must be "
                        + (vocabIsList ? "an object of token ids" : "a list of [piece, score] pairs"));
            }
            Vocabulary vocabulary = vocabIsList ? Vocabulary.ofList(tokens, file, "model.vocab")
                    : Vocabulary.of(tokens, ids, file, "model.vocab");
            int[][] merges = MergeTable.NONE;
            if (t == TokenizerModelType.BPE) {
                if (mergeLeft == null) {
                    throw fail("model is BPE but has no \"merges\"");
                }
                merges = MergeTable.resolve(file, vocabulary, mergeLeft, mergeRight, prefix,
                        i -> "model.merges[" + mergeIndex[i] + "]");
            }
            String unk = unkToken;
            if (t == TokenizerModelType.UNIGRAM) {
                unk = null;
                if (unkId != null) {
                    if (unkId < 0 || unkId >= vocabulary.size()) {
                        throw fail("model.unk_id " + unkId + " is outside the vocabulary of " + vocabulary.size()
                                + " pieces");
                    }
                    unk = vocabulary.token(unkId);
                }
            }
            return Tokenizer.of(file, t, vocabulary, merges, unk, added, file, "added_tokens");
        }

        private TokenizerModelType resolveType() {
            if (type == null) {
                // serde's untagged fallback for files without "type": BPE first, then WordPiece before WordLevel.
                return mergeLeft != null ? TokenizerModelType.BPE
                        : vocabIsList ? TokenizerModelType.UNIGRAM : TokenizerModelType.WORD_PIECE;
            }
            return TokenizerModelType.parse(type).orElseThrow(() -> fail("unknown model.type " + Quoted.of(type)
                    + " (tokenizers knows BPE, WordPiece, WordLevel and Unigram)"));
        }
    }
}
