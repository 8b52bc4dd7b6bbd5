package dev.graft.core.exec;

import dev.graft.formats.io.FileAccessException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of a model folder that are not weights but that a model built from it needs: tokenizer and
 * generation settings, copied as mergekit copies them.
 */
public final class DonorFiles {
    /** Files copied from the donor model, as mergekit copies them. */
    public static final List<String> NAMES = List.of("tokenizer_config.json", "special_tokens_map.json",
            "tokenizer.json", "tokenizer.model", "added_tokens.json", "merges.txt", "vocab.json",
            "chat_template.jinja", "chat_template.json", "generation_config.json");

    private DonorFiles() {
    }

    /**
     * Copies those of {@link #NAMES} that {@code donorFolder} has into {@code into}.
     *
     * @throws FileAccessException when a copy fails
     */
    public static void copy(Path donorFolder, Path into) {
        copy(donorFolder, into, java.util.Set.of());
    }

    /**
     * Copies those of {@link #NAMES} that {@code donorFolder} has into {@code into}, except {@code except}.
     *
     * @throws FileAccessException when a copy fails
     */
    public static void copy(Path donorFolder, Path into, java.util.Set<String> except) {
        for (String f : NAMES) {
            Path src = donorFolder.resolve(f);
            if (!except.contains(f) && Files.isRegularFile(src)) {
                try {
                    Files.copy(src, into.resolve(f));
                } catch (IOException e) {
                    throw new FileAccessException(src, "cannot copy to the output folder", e);
                }
            }
        }
    }

    /** The folder a model path belongs to: the path itself for a folder, else the file's folder. */
    public static Path folderOf(Path model) {
        return Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
    }
}
