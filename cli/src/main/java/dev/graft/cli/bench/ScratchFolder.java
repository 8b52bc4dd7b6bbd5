package dev.graft.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a benchmark writes the models it generates: {@code --dir}, else the system temp folder. */
final class ScratchFolder {
    private ScratchFolder() {
    }

    /** {@code dir} (null for the system temp folder), created if missing. */
    static Path of(Path dir) throws IOException {
        Path where = dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir;
        Files.createDirectories(where);
        return where;
    }
}
