package dev.graft.core.vocab;

import dev.graft.formats.io.FileAccessException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A recipe's {@code chat_template} made into Jinja source, by mergekit's rules ({@code merge.py}'s
 * {@code _set_chat_template}): {@code auto} takes the default template most of the inputs have (stripped; the first
 * of equally common ones, base first then the models in order, where mergekit's order is a set's); a name of
 * {@link #NAMES} its bundled template; anything else is the template itself, refused when shorter than 20
 * characters or without a <code>{</code>, as mergekit refuses it.
 *
 * <p>The bundled templates are Graft's own renderings of each format as its authors publish it: ChatML
 * ({@code <|im_start|>role\n…<|im_end|>}), Llama 3 (Meta's {@code <|start_header_id|>…<|eot_id|>}), Mistral's
 * {@code [INST] … [/INST]} and Stanford Alpaca's {@code ### Instruction:} / {@code ### Response:}. They are files in
 * {@code dev/graft/core/vocab/chat_templates/}.
 */
public final class ChatTemplateChoice {
    /** {@code chat_template: auto}. */
    public static final String AUTO = "auto";
    /** The bundled templates, by name. */
    public static final List<String> NAMES = List.of("alpaca", "chatml", "llama3", "mistral");

    private ChatTemplateChoice() {
    }

    /**
     * The template to write.
     *
     * @param setting      the recipe's value
     * @param inputDefault each input's default template, base first, where it has one
     * @return the Jinja source; empty for {@code auto} when no input has a template
     * @throws IllegalArgumentException for a value that is neither a name nor a template
     */
    public static Optional<String> resolve(String setting, List<String> inputDefault) {
        if (setting.equals(AUTO)) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            inputDefault.forEach(t -> counts.merge(t.strip(), 1, Integer::sum));
            String best = null;
            int most = 0;
            for (var e : counts.entrySet()) {
                if (e.getValue() > most) {
                    best = e.getKey();
                    most = e.getValue();
                }
            }
            return Optional.ofNullable(best);
        }
        if (NAMES.contains(setting)) {
            return Optional.of(bundled(setting));
        }
        if (setting.length() < 20 || !setting.contains("{")) {
            throw new IllegalArgumentException("chat_template " + quoted(setting) + " is neither auto, a template name ("
                    + String.join(", ", NAMES) + ") nor a Jinja template");
        }
        return Optional.of(setting);
    }

    /** The bundled template of a name in {@link #NAMES}. */
    public static String bundled(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no bundled chat template " + quoted(name));
        }
        String resource = "chat_templates/" + name + ".jinja";
        try (InputStream in = ChatTemplateChoice.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FileAccessException(Path.of(resource), "cannot read the bundled chat template", e);
        }
    }

    private static String quoted(String s) {
        return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
    }
}
