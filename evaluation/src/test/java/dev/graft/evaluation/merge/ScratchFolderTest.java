package dev.graft.evaluation.merge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ScratchFolderTest {
    @TempDir
    Path dir;

    @Test
    void aNewFolderInThePreferredPlaceWhenThereIsOne() throws Exception {
        Path ram = Files.createDirectory(dir.resolve("ram"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path made = ScratchFolder.create("graft-eval-", ram, tmp);
        assertThat(made.getParent()).isEqualTo(ram);
        assertThat(made.getFileName().toString()).startsWith("graft-eval-");
        assertThat(made).isEmptyDirectory();
        assertThat(ScratchFolder.create("graft-eval-", ram, tmp)).isNotEqualTo(made);
    }

    @Test
    void theFallbackWhenThePreferredPlaceIsMissingOrAFile() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        assertThat(ScratchFolder.create("x", dir.resolve("absent"), tmp).getParent()).isEqualTo(tmp);
        Path file = Files.writeString(dir.resolve("file"), "");
        assertThat(ScratchFolder.create("x", file, tmp).getParent()).isEqualTo(tmp);
    }
}
