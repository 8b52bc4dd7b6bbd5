package dev.graft.cli.aot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotTrainingTest {

    @Test
    void everyTrainingCommandRunsAndLeavesNothingBehind(@TempDir Path dir) throws IOException {
        Path work = dir.resolve("training");
        assertThat(AotTraining.run(work)).isEmpty();
        try (var left = Files.list(work)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFailingCommandIsReportedWithItsFirstErrorLine(@TempDir Path dir) throws IOException {
        // A file where the family's folder should go: every command fails (the six after the family twice: as small
        // and as large work), and the first says why.
        Files.writeString(dir.resolve("family"), "not a folder");
        assertThat(AotTraining.run(dir)).hasSize(13).first().asString()
                .startsWith("bench family --dir " + dir.resolve("family"))
                .contains(": graft: ");
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }
}
