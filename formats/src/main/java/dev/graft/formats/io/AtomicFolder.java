package dev.graft.formats.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * An output folder that appears under its final name complete or not at all, the folder counterpart of
 * {@link AtomicFile}.
 *
 * <p>Files are written into a hidden temp folder beside the target ({@link #temp()}); {@link #commit()} renames it
 * into place, swapping out an existing folder in one rename when {@code overwrite} is set. Closing without
 * committing deletes the temp folder, and a shutdown hook ({@link PendingOutputs}) does the same for a JVM stopped
 * mid-write.
 *
 * <pre>{@code
 * try (AtomicFolder out = AtomicFolder.create(Path.of("my-adapter"), false)) {
 *     AtomicFile.writeString(out.temp().resolve("adapter_config.json"), json, false);
 *     out.commit();
 * }
 * }</pre>
 */
public final class AtomicFolder implements AutoCloseable {
    private static final String TEMP_SUFFIX = ".graft-tmp";

    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private boolean done;

    private AtomicFolder(Path target, Path temp, boolean overwrite) {
        this.target = target;
        this.temp = temp;
        this.overwrite = overwrite;
    }

    /**
     * Creates the temp folder for {@code target}.
     *
     * @param overwrite replace an existing target at commit; otherwise fail now (and again at commit) if it exists
     * @throws OutputExistsException when the target exists and {@code overwrite} is false
     * @throws FileAccessException   when the temp folder cannot be created
     */
    public static AtomicFolder create(Path target, boolean overwrite) {
        Path abs = target.toAbsolutePath().normalize();
        if (!overwrite && Files.exists(abs)) {
            throw new OutputExistsException(target);
        }
        Path parent = abs.getParent();
        Path temp = parent.resolve("." + abs.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
        try {
            Files.createDirectories(parent);
            Files.createDirectory(temp);
            PendingOutputs.register(temp);
        } catch (IOException e) {
            throw new FileAccessException(parent, "cannot create the output folder", e);
        }
        return new AtomicFolder(abs, temp, overwrite);
    }

    /** The final name. */
    public Path target() {
        return target;
    }

    /** The hidden folder the files are written into until {@link #commit()}. */
    public Path temp() {
        return temp;
    }

    /**
     * Moves the temp folder into place.
     *
     * @return the target
     * @throws OutputExistsException when the target appeared meanwhile and {@code overwrite} is false
     */
    public Path commit() {
        try {
            if (Files.exists(target)) {
                if (!overwrite) {
                    throw new OutputExistsException(target);
                }
                Path old = target.resolveSibling("." + target.getFileName() + ".graft-old-"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            PendingOutputs.unregister(temp);
            done = true;
            return target;
        } catch (IOException e) {
            throw new FileAccessException(target, "cannot move the finished output into place", e);
        }
    }

    /** Deletes the temp folder unless committed. */
    @Override
    public void close() {
        if (!done) {
            deleteTree(temp);
            done = true;
        }
    }

    private static void deleteTree(Path dir) {
        PendingOutputs.unregister(dir);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: the folder is hidden and marked .graft-tmp
        }
    }
}
