package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The special tokens of a tokenizer as {@code tokenizer_config.json} or {@code special_tokens_map.json} name them:
 * one token per role ({@code bos_token}, {@code eos_token} …) and the {@code additional_special_tokens} list (with
 * the newer {@code extra_special_tokens} after it). Each may be written as a string or as an AddedToken object
 * ({@code {"__type": "AddedToken", "content": …}}); a string is a token with tokenizers' special-token flags (no
 * stripping, not normalized). Every one is special. Immutable.
 */
public final class SpecialTokens {
    public static final String FILE_NAME = "special_tokens_map.json";
    /** transformers' {@code SPECIAL_TOKENS_ATTRIBUTES} in its order, less {@code additional_special_tokens}. */
    public static final List<String> ROLES = List.of("bos_token", "eos_token", "unk_token", "sep_token",
            "pad_token", "cls_token", "mask_token");

    private final Map<String, AddedToken> byRole;
    private final List<AddedToken> additional;

    private SpecialTokens(Map<String, AddedToken> byRole, List<AddedToken> additional) {
        this.byRole = Collections.unmodifiableMap(byRole);
        this.additional = List.copyOf(additional);
    }

    /** Tokens for none of the roles. */
    public static SpecialTokens none() {
        return new SpecialTokens(Map.of(), List.of());
    }

    /**
     * Reads a {@code special_tokens_map.json}.
     *
     * @throws TokenizerFormatException for invalid JSON or a value that is neither a string nor an AddedToken
     */
    public static SpecialTokens read(Path specialTokensMap) {
        JsonNode tree = JsonInput.tree(specialTokensMap, FILE_NAME);
        if (!tree.isObject()) {
            throw new TokenizerFormatException(specialTokensMap, "not a JSON object");
        }
        return of(tree, specialTokensMap);
    }

    /** The special-token fields of a config object; other fields are ignored. */
    static SpecialTokens of(JsonNode object, Path file) {
        Map<String, AddedToken> byRole = new LinkedHashMap<>();
        for (String role : ROLES) {
            JsonNode v = object.get(role);
            if (v != null && !v.isNull()) {
                byRole.put(role, token(v, file, role));
            }
        }
        List<AddedToken> additional = new ArrayList<>();
        JsonNode list = object.get("additional_special_tokens");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new TokenizerFormatException(file, "additional_special_tokens is not a list");
            }
            for (int i = 0; i < list.size(); i++) {
                additional.add(token(list.get(i), file, "additional_special_tokens[" + i + "]"));
            }
        }
        JsonNode extra = object.path("extra_special_tokens");
        if (extra.isObject()) {
            for (var e : extra.properties()) {
                additional.add(token(e.getValue(), file, "extra_special_tokens[" + Quoted.of(e.getKey()) + "]"));
            }
        } else if (extra.isArray()) {
            for (int i = 0; i < extra.size(); i++) {
                additional.add(token(extra.get(i), file, "extra_special_tokens[" + i + "]"));
            }
        }
        return new SpecialTokens(byRole, additional);
    }

    private static AddedToken token(JsonNode v, Path file, String where) {
        if (v.isTextual()) {
            return AddedToken.of(v.textValue(), true);
        }
        if (v.isObject() && v.path("content").isTextual()) {
            return AddedTokenJson.of(v, file, where).asSpecial();
        }
        throw new TokenizerFormatException(file, where + " is neither a string nor an AddedToken object");
    }

    /** The token of a role ({@code "bos_token"} …), if the file names one. */
    public Optional<AddedToken> get(String role) {
        return Optional.ofNullable(byRole.get(role));
    }

    /** The content of {@code bos_token}. */
    public Optional<String> bos() {
        return content("bos_token");
    }

    /** The content of {@code eos_token}. */
    public Optional<String> eos() {
        return content("eos_token");
    }

    /** The content of {@code unk_token}. */
    public Optional<String> unk() {
        return content("unk_token");
    }

    /** The content of {@code pad_token}. */
    public Optional<String> pad() {
        return content("pad_token");
    }

    private Optional<String> content(String role) {
        return get(role).map(AddedToken::content);
    }

    /** The tokens of the roles, in {@link #ROLES} order. */
    public Map<String, AddedToken> byRole() {
        return byRole;
    }

    /** {@code additional_special_tokens}, then the values of {@code extra_special_tokens}. */
    public List<AddedToken> additional() {
        return additional;
    }

    /**
     * Every special token once, roles first, then the additional ones (transformers'
     * {@code all_special_tokens_extended}): the order in which transformers adds the missing ones on load.
     */
    public List<AddedToken> all() {
        Set<String> seen = new LinkedHashSet<>();
        List<AddedToken> out = new ArrayList<>();
        for (AddedToken t : byRole.values()) {
            if (seen.add(t.content())) {
                out.add(t);
            }
        }
        for (AddedToken t : additional) {
            if (seen.add(t.content())) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * These tokens with {@code special_tokens_map.json}'s applied over them, as transformers does when the config
     * has no {@code added_tokens_decoder}: each role the map names replaces this one's, and its additional tokens
     * are appended to these where not already present.
     */
    public SpecialTokens overriddenBy(SpecialTokens map) {
        Map<String, AddedToken> roles = new LinkedHashMap<>();
        for (String role : ROLES) {
            AddedToken t = map.byRole.getOrDefault(role, byRole.get(role));
            if (t != null) {
                roles.put(role, t);
            }
        }
        List<AddedToken> more = new ArrayList<>(additional);
        for (AddedToken t : map.additional) {
            if (more.stream().noneMatch(a -> a.content().equals(t.content()))) {
                more.add(t);
            }
        }
        return new SpecialTokens(roles, more);
    }
}
