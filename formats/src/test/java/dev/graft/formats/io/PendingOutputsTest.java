package dev.graft.formats.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A JVM that exits in the middle of a write leaves neither the output nor its temp file. */
class PendingOutputsTest {
    @TempDir
    Path dir;

    @Test
    void anExitMidWriteLeavesNothingBehind() throws Exception {
        Path out = dir.resolve("m.safetensors");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ExitMidWrite.class.getName(), out.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes())).contains("half written");
        assertThat(p.exitValue()).isEqualTo(3);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }
}
