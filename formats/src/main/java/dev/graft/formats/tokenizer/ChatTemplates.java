package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A tokenizer's chat templates by name, as transformers holds them: one unnamed template is the {@code "default"}
 * one; several are saved as a list of {@code {"name", "template"}} objects. Immutable.
 *
 * @param templates Jinja source by template name, in file order
 */
public record ChatTemplates(Map<String, String> templates) {
    public static final String DEFAULT = "default";

    public ChatTemplates {
        templates = Collections.unmodifiableMap(new LinkedHashMap<>(templates));
    }

    public static ChatTemplates none() {
        return new ChatTemplates(Map.of());
    }

    /** A single unnamed template. */
    public static ChatTemplates of(String template) {
        return new ChatTemplates(Map.of(DEFAULT, template));
    }

    /** The template used when none is named. */
    public Optional<String> defaultTemplate() {
        return Optional.ofNullable(templates.get(DEFAULT));
    }

    public boolean isEmpty() {
        return templates.isEmpty();
    }

    /**
     * The {@code chat_template} value of a {@code tokenizer_config.json}: a string, or a list of named templates
     * (a later entry of the same name replaces an earlier one, as transformers' dict comprehension does).
     */
    static ChatTemplates fromJson(JsonNode value, Path file) {
        if (value == null || value.isNull()) {
            return none();
        }
        if (value.isTextual()) {
            return of(value.textValue());
        }
        if (value.isArray()) {
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode t = value.get(i);
                if (!t.path("name").isTextual() || !t.path("template").isTextual()) {
                    throw new TokenizerFormatException(file, "chat_template[" + i
                            + "] is not a {\"name\", \"template\"} object of two strings");
                }
                out.put(t.get("name").textValue(), t.get("template").textValue());
            }
            return new ChatTemplates(out);
        }
        throw new TokenizerFormatException(file, "chat_template is neither a string nor a list of "
                + "{\"name\", \"template\"} objects");
    }
}
