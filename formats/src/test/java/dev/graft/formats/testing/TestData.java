package dev.graft.formats.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repo's shared test data (reference vectors), set by Surefire as {@code graft.testdata}. */
public final class TestData {
    private TestData() {
    }

    public static Path root() {
        String p = System.getProperty("graft.testdata", "../testdata");
        Path root = Path.of(p).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("test data folder not found: " + root);
        }
        return root;
    }

    public static Path mergeVectors() {
        return root().resolve("vectors/merge");
    }
}
