package dev.graft.formats.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hidden working folder beside an output, for what a command needs on disk only until it finishes (the
 * intermediate merges of a recipe of several documents): on the output's file system, deleted when closed or
 * when the JVM exits, and named as Graft's temp files are, so that a later run removes it if the process was
 * killed.
 */
public final class ScratchFolder implements AutoCloseable {
    private final Path dir;

    private ScratchFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates the folder beside {@code output}.
     *
     * @throws FileAccessException when it cannot be created
     */
    public static ScratchFolder beside(Path output) {
        Path dir = TempName.next(output.toAbsolutePath().normalize());
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new FileAccessException(dir.getParent(), "cannot create a working folder", e);
        }
        PendingOutputs.register(dir);
        return new ScratchFolder(dir);
    }

    /** The folder. */
    public Path path() {
        return dir;
    }

    /** Deletes the folder and everything in it. */
    @Override
    public void close() {
        PendingOutputs.unregister(dir);
        // Whatever is left keeps its temp name, which gets it removed by the next run that writes beside it.
        FileTrees.deleteQuietly(dir);
    }
}
