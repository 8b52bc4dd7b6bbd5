package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.json.PythonJson;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A {@code tokenizer_config.json} (transformers' tokenizer {@code init_kwargs}): typed access to the special tokens,
 * chat templates, {@code added_tokens_decoder} and {@code model_max_length}, with every other field kept for
 * rewriting. Written back as transformers writes it ({@code json.dumps(indent=2, sort_keys=True,
 * ensure_ascii=False)} and a newline) when the file was sorted; an unsorted file keeps its order, so an unchanged
 * file is reproduced byte for byte either way. Immutable; the {@code with…} methods return changed copies.
 */
public final class TokenizerConfig {
    public static final String FILE_NAME = "tokenizer_config.json";
    /** transformers' {@code VERY_LARGE_INTEGER}, {@code int(1e30)}: the {@code model_max_length} of "no limit". */
    private static final BigInteger NO_LIMIT = BigInteger.TEN.pow(30);

    private final Path source;
    private final ObjectNode root;
    private final boolean sorted;
    private final boolean trailingNewline;
    private final SpecialTokens specialTokens;
    private final ChatTemplates chatTemplates;
    private final SortedMap<Integer, AddedToken> addedTokensDecoder;

    private TokenizerConfig(Path source, ObjectNode root, boolean sorted, boolean trailingNewline) {
        this.source = source;
        this.root = root;
        this.sorted = sorted;
        this.trailingNewline = trailingNewline;
        this.specialTokens = SpecialTokens.of(root, source);
        this.chatTemplates = ChatTemplates.fromJson(root.get("chat_template"), source);
        this.addedTokensDecoder = decoder(root.get("added_tokens_decoder"), source);
    }

    /**
     * Reads a {@code tokenizer_config.json}.
     *
     * @throws TokenizerFormatException for invalid JSON, or a special token, chat template or
     *                                  {@code added_tokens_decoder} entry of the wrong shape
     */
    public static TokenizerConfig read(Path file) {
        byte[] bytes = JsonInput.bytes(file, FILE_NAME);
        JsonNode tree = JsonInput.tree(file, bytes, FILE_NAME);
        if (!(tree instanceof ObjectNode o)) {
            throw new TokenizerFormatException(file, "not a JSON object");
        }
        return new TokenizerConfig(file, o, PythonJson.isSorted(o), bytes[bytes.length - 1] == '\n');
    }

    /**
     * A config with no fields, to be filled with the {@code with…} methods, for a folder that has none; written as
     * transformers writes one (sorted keys, a final newline).
     *
     * @param file where it will be written, for messages
     */
    public static TokenizerConfig empty(Path file) {
        return new TokenizerConfig(file, new ObjectNode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance),
                true, true);
    }

    private static SortedMap<Integer, AddedToken> decoder(JsonNode value, Path file) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new TokenizerFormatException(file, "added_tokens_decoder is not an object");
        }
        TreeMap<Integer, AddedToken> out = new TreeMap<>();
        Map<String, Integer> ids = new HashMap<>();
        for (var e : value.properties()) {
            String where = "added_tokens_decoder[" + Quoted.of(e.getKey()) + "]";
            if (!e.getKey().matches("[0-9]{1,9}")) {
                throw new TokenizerFormatException(file, "added_tokens_decoder key " + Quoted.of(e.getKey())
                        + " is not a token id");
            }
            int id = Integer.parseInt(e.getKey());
            AddedToken t = AddedTokenJson.of(e.getValue(), file, where);
            Integer before = ids.putIfAbsent(t.content(), id);
            if (before != null) {
                throw new TokenizerFormatException(file, "added_tokens_decoder gives " + Quoted.of(t.content())
                        + " two ids, " + before + " and " + id);
            }
            if (out.put(id, t) != null) {
                throw new TokenizerFormatException(file, "added_tokens_decoder lists id " + id + " twice");
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** The file this was read from. */
    public Path source() {
        return source;
    }

    /** The special tokens this file names ({@code bos_token} …, {@code additional_special_tokens}). */
    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    /** {@code chat_template}; none when absent. */
    public ChatTemplates chatTemplates() {
        return chatTemplates;
    }

    /**
     * {@code added_tokens_decoder} (transformers ≥ 4.34 writes it): the added tokens by id. Empty when the file has
     * none, which also tells transformers to consult {@code special_tokens_map.json}.
     */
    public Optional<SortedMap<Integer, AddedToken>> addedTokensDecoder() {
        return Optional.ofNullable(addedTokensDecoder);
    }

    /**
     * {@code model_max_length}; empty when absent, null, or transformers' "no limit" ({@code int(1e30)}, which
     * some files hold as the float {@code 1e+30}).
     */
    public OptionalLong modelMaxLength() {
        JsonNode n = root.get("model_max_length");
        if (n == null || !n.isNumber()) {
            return OptionalLong.empty();
        }
        BigInteger v = n.isIntegralNumber() ? n.bigIntegerValue()
                : Double.isFinite(n.doubleValue()) ? new BigDecimal(n.doubleValue()).toBigInteger() : NO_LIMIT;
        return v.compareTo(NO_LIMIT) >= 0 || v.bitLength() > 63 ? OptionalLong.empty() : OptionalLong.of(v.longValue());
    }

    /** {@code tokenizer_class}, e.g. {@code LlamaTokenizer}. */
    public Optional<String> tokenizerClass() {
        JsonNode n = root.get("tokenizer_class");
        return n != null && n.isTextual() ? Optional.of(n.textValue()) : Optional.empty();
    }

    /** A copy of the whole JSON object. */
    public ObjectNode json() {
        return root.deepCopy();
    }

    /**
     * A copy whose {@code added_tokens_decoder} lists exactly these tokens. An entry whose id and content were
     * already there keeps its other fields.
     */
    public TokenizerConfig withAddedTokensDecoder(SortedMap<Integer, AddedToken> tokens) {
        ObjectNode copy = root.deepCopy();
        JsonNode old = copy.path("added_tokens_decoder");
        ObjectNode out = copy.objectNode();
        tokens.forEach((id, t) -> {
            JsonNode before = old.get(String.valueOf(id));
            ObjectNode e = before instanceof ObjectNode o && t.content().equals(o.path("content").asText())
                    ? o : copy.objectNode();
            // transformers' own field order (it sorts them).
            e.put("content", t.content());
            e.put("lstrip", t.lstrip());
            e.put("normalized", t.normalized());
            e.put("rstrip", t.rstrip());
            e.put("single_word", t.singleWord());
            e.put("special", t.special());
            out.set(String.valueOf(id), e);
        });
        copy.set("added_tokens_decoder", out);
        return new TokenizerConfig(source, copy, sorted, trailingNewline);
    }

    /**
     * A copy with these chat templates: none removes {@code chat_template}, a lone default one is written as a
     * string, several as a list of {@code {"name", "template"}} objects, as transformers saves them.
     */
    public TokenizerConfig withChatTemplates(ChatTemplates templates) {
        ObjectNode copy = root.deepCopy();
        if (templates.isEmpty()) {
            copy.remove("chat_template");
        } else if (templates.templates().size() == 1 && templates.defaultTemplate().isPresent()) {
            copy.put("chat_template", templates.defaultTemplate().get());
        } else {
            ArrayNode list = copy.arrayNode();
            templates.templates().forEach((name, t) -> list.addObject().put("name", name).put("template", t));
            copy.set("chat_template", list);
        }
        return new TokenizerConfig(source, copy, sorted, trailingNewline);
    }

    /** The file's text. */
    public String toJson() {
        return PythonJson.dumps(root, 2, sorted, false) + (trailingNewline ? "\n" : "");
    }

    /**
     * Writes this version atomically.
     *
     * @throws dev.graft.formats.io.OutputExistsException when the target exists and {@code overwrite} is false
     */
    public void write(Path target, boolean overwrite) {
        AtomicFile.writeString(target, toJson(), overwrite);
    }
}
