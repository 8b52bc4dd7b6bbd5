package dev.graft.formats.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The list of files a Graft output folder consists of, {@value #FILE_NAME} inside it, written last before the
 * folder is published. {@code --force} replaces an existing folder only when everything in it is on that list:
 * it never deletes a file Graft did not write, so {@code -o .} or {@code -o ~/models} cannot wipe a folder.
 */
public final class OutputManifest {
    /** The manifest's file name inside an output folder. */
    public static final String FILE_NAME = ".graft-manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OutputManifest() {
    }

    /** Lists every file under {@code folder} (relative paths, {@code /}-separated) in its manifest. */
    static void write(Path folder) {
        ObjectNode root = JSON.createObjectNode();
        root.put("written_by", "graft");
        ArrayNode files = root.putArray("files");
        files(folder).forEach(files::add);
        try {
            Files.writeString(folder.resolve(FILE_NAME), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new FileAccessException(folder.resolve(FILE_NAME), "cannot write the output manifest", e);
        }
    }

    /** The files the manifest in {@code folder} lists, empty when there is none or it is not one. */
    static Optional<Set<String>> read(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !"graft".equals(root.path("written_by").asText()) || !root.path("files").isArray()) {
                return Optional.empty();
            }
            Set<String> listed = new TreeSet<>();
            root.path("files").forEach(f -> listed.add(f.asText()));
            return Optional.of(listed);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Checks that {@code folder} may be replaced: it does not exist, is empty, or holds only what its manifest
     * lists.
     *
     * @param shown the output as the user named it
     * @throws UnsafeOutputException naming the first entry Graft did not write
     */
    static void checkReplaceable(Path folder, Path shown) {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(folder)) {
            throw new UnsafeOutputException(shown, UnsafeOutputException.Reason.WRONG_KIND,
                    "is a file, and a folder output never replaces a file; remove it or choose another output path");
        }
        List<String> present = entries(folder);
        if (present.isEmpty()) {
            return;
        }
        Optional<Set<String>> listed = read(folder);
        if (listed.isEmpty()) {
            throw new UnsafeOutputException(shown, UnsafeOutputException.Reason.FOREIGN_FILE,
                    "holds " + present.getFirst() + ", and it is not a Graft output (no " + FILE_NAME
                            + "); --force replaces only a folder Graft wrote: remove it or choose another output path");
        }
        for (String entry : present) {
            if (!entry.equals(FILE_NAME) && !listed.get().contains(entry)) {
                throw new UnsafeOutputException(shown, UnsafeOutputException.Reason.FOREIGN_FILE,
                        "holds " + topmostForeign(entry, listed.get()) + ", which Graft did not write; --force replaces only the files of a "
                                + "previous Graft output: move it away or choose another output path");
            }
        }
    }

    /**
     * Deletes what the manifest of {@code folder} lists, the manifest and the folder itself once empty.
     *
     * @return the entries left because no manifest listed them (empty when the folder is gone)
     */
    static List<String> deleteOwned(Path folder) {
        Set<String> listed = read(folder).orElse(Set.of());
        for (String f : listed) {
            Path p = folder.resolve(f).normalize();
            if (p.startsWith(folder)) {
                deleteQuietly(p);
            }
        }
        deleteQuietly(folder.resolve(FILE_NAME));
        // Folders emptied by the deletions go too; anything left is not Graft's.
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path d : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                try (Stream<Path> in = Files.list(d)) {
                    if (in.findAny().isEmpty()) {
                        Files.delete(d);
                    }
                }
            }
        } catch (IOException ignored) {
            // what is left is reported below
        }
        return Files.exists(folder) ? entries(folder) : List.of();
    }

    /** The entry, or the top folder it is in when Graft wrote nothing in that folder: "notes/", not "notes/a/b.txt". */
    private static String topmostForeign(String entry, Set<String> listed) {
        int slash = entry.indexOf('/');
        if (slash < 0 || slash == entry.length() - 1) {
            return entry;
        }
        String top = entry.substring(0, slash + 1);
        return listed.stream().anyMatch(f -> f.startsWith(top)) ? entry : top;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // left in place and reported by deleteOwned
        }
    }

    /** Every file and folder under {@code folder}, relative, sorted; folders only when no file is below them. */
    private static List<String> entries(Path folder) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted().toList()) {
                if (p.equals(folder)) {
                    continue;
                }
                boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                if (!dir || isEmpty(p)) {
                    out.add(relative(folder, p) + (dir ? "/" : ""));
                }
            }
        } catch (IOException e) {
            throw new FileAccessException(folder, "cannot list the existing output", e);
        }
        return out;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> in = Files.list(dir)) {
            return in.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> files(Path folder) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted().toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !p.getFileName().toString().equals(FILE_NAME)) {
                    out.add(relative(folder, p));
                }
            }
        } catch (IOException e) {
            throw new FileAccessException(folder, "cannot list the output", e);
        }
        return out;
    }

    private static String relative(Path folder, Path p) {
        return folder.relativize(p).toString().replace('\\', '/');
    }
}
