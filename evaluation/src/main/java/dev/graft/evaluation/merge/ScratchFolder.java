package dev.graft.evaluation.merge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an evaluation writes its hundreds of merged folders: a new folder in RAM-backed {@code /dev/shm} where the
 * machine has one, else in the temporary folder. Every merge commits its files as any Graft output does (written,
 * forced to disk, renamed: {@code AtomicFile}); on tmpfs forcing costs nothing, on a disk it is a wait per file that
 * the evaluation, which deletes the folders when it is done, does not need.
 */
public final class ScratchFolder {
    /** Linux's shared-memory tmpfs. */
    public static final Path SHARED_MEMORY = Path.of("/dev/shm");

    private ScratchFolder() {
    }

    /** A new, empty folder named {@code prefix…} under {@link #SHARED_MEMORY} or {@code java.io.tmpdir}. */
    public static Path create(String prefix) throws IOException {
        return create(prefix, SHARED_MEMORY, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** A new folder under {@code preferred} when it is a writable folder, else under {@code fallback}. */
    static Path create(String prefix, Path preferred, Path fallback) throws IOException {
        if (Files.isDirectory(preferred) && Files.isWritable(preferred)) {
            try {
                return Files.createTempDirectory(preferred, prefix);
            } catch (IOException e) {
                // full or refused after all: the ordinary temporary folder serves as well, only slower
            }
        }
        return Files.createTempDirectory(fallback, prefix);
    }
}
