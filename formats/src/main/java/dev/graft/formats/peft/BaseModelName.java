package dev.graft.formats.peft;

import dev.graft.formats.model.ModelConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code base_model_name_or_path} of an adapter made from a local base model, named as PEFT names it.
 *
 * <p>PEFT's {@code save_pretrained} writes the base model's {@code name_or_path}, which is what was passed to
 * {@code from_pretrained}: a Hub id or a local path; {@code AutoPeftModelFor*.from_pretrained} passes the field
 * back to {@code from_pretrained}. A local model folder records the same string in its {@code config.json} as
 * {@code _name_or_path} when transformers saved it. So the Hub id is used when the config has one, since it
 * resolves on any machine; otherwise the base's absolute path, which resolves at least on this one.
 */
public final class BaseModelName {
    /** A Hub repo id as {@code huggingface_hub.utils.validate_repo_id} accepts it: {@code name} or {@code org/name}. */
    private static final Pattern REPO_ID = Pattern.compile("(\\w(?:[\\w.-]*\\w)?/)?\\w(?:[\\w.-]*\\w)?");
    private static final int MAX_REPO_ID = 96;

    private BaseModelName() {
    }

    /**
     * {@code base_model_name_or_path} for an adapter of {@code base}.
     *
     * @param base   the base model (folder, file or index) as the user gave it
     * @param config its {@code config.json}, if it has one
     * @return the config's {@code _name_or_path} when {@link #isHubId} holds for it, else {@code base} made
     *         absolute (not resolving links, so the path stays the one the user gave)
     */
    public static String of(Path base, Optional<ModelConfig> config) {
        Objects.requireNonNull(base, "base");
        return config.flatMap(ModelConfig::nameOrPath).filter(BaseModelName::isHubId)
                .orElseGet(() -> base.toAbsolutePath().normalize().toString());
    }

    /**
     * Whether {@code name} reads as a Hub repo id: {@code org/name} or {@code name} of letters, digits,
     * {@code _ - .} (not {@code --} or {@code ..}, at most 96 characters), and not a path that exists here,
     * since a relative local path (a checkpoint folder named {@code base}) has the same shape and transformers
     * prefers the local folder too. Absolute paths and names starting with {@code .} or {@code ~} are never ids.
     */
    public static boolean isHubId(String name) {
        if (name == null || name.length() > MAX_REPO_ID || !REPO_ID.matcher(name).matches()
                || name.contains("--") || name.contains("..") || name.endsWith(".git")) {
            return false;
        }
        // the pattern admits only characters every file system accepts in a path, so Path.of cannot fail
        return !Files.exists(Path.of(name));
    }
}
