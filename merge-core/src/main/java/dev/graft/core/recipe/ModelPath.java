package dev.graft.core.recipe;

import java.util.Objects;
import java.util.Optional;

/**
 * A local path or Hugging Face repository id with an optional revision: mergekit's {@code path[@revision]}.
 *
 * @param path     a directory (absolute or relative to the working directory) or a hub id such as
 *                 {@code org/name}; never empty
 * @param revision the branch, tag or commit after {@code @}; only meaningful for hub ids
 */
public record ModelPath(String path, Optional<String> revision) {

    public ModelPath {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(revision, "revision");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty model path");
        }
        if (revision.isPresent() && revision.get().isEmpty()) {
            throw new IllegalArgumentException("empty revision after '@' in " + path + "@");
        }
    }

    /**
     * Parses {@code path} or {@code path@revision}.
     *
     * @throws IllegalArgumentException for an empty path or revision, or more than one {@code @} (as mergekit's
     *                                  "Invalid model path - multiple @")
     */
    public static ModelPath parse(String text) {
        int at = text.indexOf('@');
        if (at < 0) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("empty model path");
            }
            return new ModelPath(text, Optional.empty());
        }
        if (text.indexOf('@', at + 1) >= 0) {
            throw new IllegalArgumentException("invalid model path \"" + text + "\": more than one '@'");
        }
        String path = text.substring(0, at);
        String revision = text.substring(at + 1);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("invalid model path \"" + text + "\": nothing before '@'");
        }
        if (revision.isEmpty()) {
            throw new IllegalArgumentException("invalid model path \"" + text + "\": nothing after '@'");
        }
        return new ModelPath(path, Optional.of(revision));
    }

    /** {@code path} or {@code path@revision}, as it would be written in a recipe. */
    @Override
    public String toString() {
        return revision.map(r -> path + "@" + r).orElse(path);
    }
}
