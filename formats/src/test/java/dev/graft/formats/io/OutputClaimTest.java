package dev.graft.formats.io;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.safetensors.SafetensorsFile;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks every output gets before any work: never over an input, never over foreign files, one writer. */
class OutputClaimTest {
    private static final List<TensorSpec> SPECS = List.of(new TensorSpec("a", DType.F32, Shape.of(4)));

    @TempDir
    Path dir;

    private final List<String> notes = new CopyOnWriteArrayList<>();

    OutputClaimTest() {
        OutputNotices.sendTo(notes::add);
    }

    @AfterEach
    void restore() {
        FreeSpace.useProbe(null);
    }

    private static void writeModel(Path file) {
        try (SafetensorsWriter w = SafetensorsWriter.create(file, SPECS, SafetensorsWriter.PT_METADATA, false)) {
            w.writeFloats("a", new float[] {1, 2, 3, 4});
            w.commit();
        }
    }

    @Test
    void anOpenInputIsNeverReplacedEvenWithOverwrite() throws Exception {
        Path in = dir.resolve("a.safetensors");
        writeModel(in);
        byte[] before = Files.readAllBytes(in);
        try (SafetensorsFile open = SafetensorsFile.open(in)) {
            assertThatThrownBy(() -> SafetensorsWriter.create(dir.resolve("x/../a.safetensors"), SPECS,
                    SafetensorsWriter.PT_METADATA, true))
                    .isInstanceOfSatisfying(UnsafeOutputException.class,
                            e -> assertThat(e.reason()).isEqualTo(UnsafeOutputException.Reason.IS_INPUT))
                    .hasMessage(dir.resolve("x/../a.safetensors") + ": the output (" + in + ") is the input " + in
                            + "; choose another output path (--force never replaces an input)");
        }
        assertThat(Files.readAllBytes(in)).isEqualTo(before);
    }

    @Test
    void aFolderHoldingAnInputIsRefusedAndNothingIsDeleted() throws Exception {
        Path ft = Files.createDirectories(dir.resolve("ft1"));
        writeModel(ft.resolve("model.safetensors"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> AtomicFolder.create(OutputClaim.folder(dir, true, List.of(ft), 0)))
                .isInstanceOfSatisfying(UnsafeOutputException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnsafeOutputException.Reason.CONTAINS_INPUT))
                .hasMessage(dir + ": the output folder contains the input " + ft
                        + "; choose an output path that holds no input (--force never replaces an input)");
        assertThat(ft.resolve("model.safetensors")).exists();
        assertThat(dir.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void anOutputInsideAnInputFolderIsRefused() throws Exception {
        Path ft = Files.createDirectories(dir.resolve("ft1"));
        assertThatThrownBy(() -> OutputClaim.file(ft.resolve("merged.safetensors"), false, List.of(ft), 0))
                .isInstanceOfSatisfying(UnsafeOutputException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnsafeOutputException.Reason.INSIDE_INPUT))
                .hasMessageEndingWith("the output lies inside the input folder " + ft + "; write it outside the input");
    }

    @Test
    void aSymlinkedOutputFolderPointingIntoAnInputIsRefused() throws Exception {
        Path ft = Files.createDirectories(dir.resolve("ft1"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), ft);
        assertThatThrownBy(() -> OutputClaim.folder(link.resolve("merged"), true, List.of(ft), 0))
                .isInstanceOfSatisfying(UnsafeOutputException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnsafeOutputException.Reason.INSIDE_INPUT));
        assertThatThrownBy(() -> OutputClaim.folder(link, true, List.of(ft), 0))
                .isInstanceOfSatisfying(UnsafeOutputException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnsafeOutputException.Reason.IS_INPUT))
                .hasMessage(link + ": the output (" + ft + ") is the input " + ft
                        + "; choose another output path (--force never replaces an input)");
    }

    private Path publishFolder(Path target, boolean overwrite, String... files) throws Exception {
        try (AtomicFolder f = AtomicFolder.create(target, overwrite)) {
            for (String name : files) {
                Files.writeString(f.temp().resolve(name), name);
            }
            return f.commit();
        }
    }

    @Test
    void forceReplacesOnlyWhatAPreviousGraftOutputListsAndRefusesForeignFiles() throws Exception {
        Path out = dir.resolve("merged");
        publishFolder(out, false, "config.json", "model.safetensors");
        assertThat(out.resolve(OutputManifest.FILE_NAME)).content()
                .contains("\"config.json\"", "\"model.safetensors\"");

        publishFolder(out, true, "model.safetensors", "README.md");
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("model.safetensors", "README.md", OutputManifest.FILE_NAME);
        }

        Files.writeString(out.resolve("my-notes.txt"), "keep me");
        Files.createDirectories(out.resolve("eval/runs"));
        Files.writeString(out.resolve("eval/runs/1.json"), "{}");
        assertThatThrownBy(() -> publishFolder(out, true, "model.safetensors"))
                .isInstanceOfSatisfying(UnsafeOutputException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnsafeOutputException.Reason.FOREIGN_FILE))
                .hasMessage(out + ": holds eval/, which Graft did not write; --force replaces only the files of a "
                        + "previous Graft output: move it away or choose another output path");
        assertThat(out.resolve("my-notes.txt")).hasContent("keep me");
        assertThat(out.resolve("eval/runs/1.json")).exists();
        assertThat(out.resolve("model.safetensors")).hasContent("model.safetensors");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("merged");
        }
    }

    @Test
    void aFolderGraftDidNotWriteIsNeverReplaced() throws Exception {
        Path out = Files.createDirectories(dir.resolve("models"));
        Files.writeString(out.resolve("a.txt"), "a");
        assertThatThrownBy(() -> publishFolder(out, true, "model.safetensors"))
                .hasMessage(out + ": holds a.txt, and it is not a Graft output (no .graft-manifest.json); --force "
                        + "replaces only a folder Graft wrote: remove it or choose another output path");
        assertThat(out.resolve("a.txt")).hasContent("a");
        // An empty folder holds nothing to lose.
        Path empty = Files.createDirectories(dir.resolve("empty"));
        publishFolder(empty, true, "model.safetensors");
        assertThat(empty.resolve("model.safetensors")).exists();
    }

    @Test
    void aSecondWriterInThisProcessFailsAtOnce() {
        Path out = dir.resolve("m.safetensors");
        try (OutputClaim first = OutputClaim.file(out, false, List.of(), 0)) {
            assertThatThrownBy(() -> OutputClaim.file(out, false, List.of(), 0))
                    .isInstanceOfSatisfying(UnsafeOutputException.class,
                            e -> assertThat(e.reason()).isEqualTo(UnsafeOutputException.Reason.LOCKED))
                    .hasMessageStartingWith(out + ": is being written by process " + ProcessHandle.current().pid()
                            + " (this process); wait for it to finish");
        }
        OutputClaim.file(out, false, List.of(), 0).close();
    }

    @Test
    void aConcurrentWriterIsRefusedAndAKilledWritersTempFilesGoWithTheNextRun() throws Exception {
        Path out = dir.resolve("m.safetensors");
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                HoldOutput.class.getName(), out.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
            assertThat(r.readLine()).isEqualTo("writing");
            assertThatThrownBy(() -> SafetensorsWriter.create(out, SPECS, SafetensorsWriter.PT_METADATA, true))
                    .isInstanceOfSatisfying(UnsafeOutputException.class,
                            e -> assertThat(e.reason()).isEqualTo(UnsafeOutputException.Reason.LOCKED))
                    .hasMessageStartingWith(out + ": is being written by process " + p.pid() + "; wait");
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook, the temp file and lock stay
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(q -> q.getFileName().toString()))
                    .anyMatch(n -> n.startsWith(".m.safetensors.p" + p.pid() + "-") && n.endsWith(".graft-tmp"))
                    .contains(".m.safetensors.graft-lock");
        }
        writeModel(out);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(q -> q.getFileName().toString())).containsExactly("m.safetensors");
        }
        assertThat(notes).hasSize(2);
        assertThat(notes.get(0)).isEqualTo("removed the stale lock " + dir.resolve(".m.safetensors.graft-lock")
                + " of process " + p.pid() + ", which no longer runs");
        assertThat(notes.get(1)).matches("removed " + java.util.regex.Pattern.quote(dir.toString())
                + "/\\.m\\.safetensors\\.p" + p.pid() + "-[0-9a-f]+\\.graft-tmp \\(\\d+ B\\), left by an "
                + "earlier run that did not finish");
    }

    @Test
    void tooLittleFreeSpaceFailsBeforeAnythingIsWritten() throws Exception {
        FreeSpace.useProbe(p -> 100);
        Path out = dir.resolve("m.safetensors");
        assertThatThrownBy(() -> SafetensorsWriter.create(out, SPECS, SafetensorsWriter.PT_METADATA, false))
                .isInstanceOfSatisfying(UnsafeOutputException.class,
                        e -> assertThat(e.reason()).isEqualTo(UnsafeOutputException.Reason.NO_SPACE))
                .hasMessage(out + ": needs 112 B but its file system has 100 B free; free some space or "
                        + "write elsewhere");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    /** The real check on a real small file system, where the test may mount one (root on Linux). */
    @Test
    void aSmallFileSystemIsMeasuredBeforeWriting() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small"));
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here");
        try {
            List<TensorSpec> big = List.of(new TensorSpec("w", DType.F32, Shape.of(256, 256)));
            Path out = mount.resolve("m.safetensors");
            assertThatThrownBy(() -> SafetensorsWriter.create(out, big, SafetensorsWriter.PT_METADATA, false))
                    .isInstanceOfSatisfying(UnsafeOutputException.class,
                            e -> assertThat(e.reason()).isEqualTo(UnsafeOutputException.Reason.NO_SPACE))
                    .hasMessageMatching(java.util.regex.Pattern.quote(out + ": needs 262 kB but its file system has ")
                            + "[0-9.]+ kB free; free some space or write elsewhere");
            try (Stream<Path> left = Files.list(mount)) {
                assertThat(left).isEmpty();
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
