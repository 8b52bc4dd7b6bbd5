package dev.graft.cli.bench;

import dev.graft.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The merge benchmark's plumbing on tiny families; its timings are not asserted. */
class MergeBenchCommandTest {
    @TempDir
    Path dir;

    private static final String TIME = " +[0-9.]+ s  cpu +[0-9.]+ s  peak RSS [0-9.]+ [kMG]B";

    @Test
    void llamaFamilyAgainstBothFloorsAndCleansUp() throws IOException {
        Cli.Result r = Cli.graft("bench", "merge", "--hidden", "64", "--intermediate", "128", "--layers", "1",
                "--vocab", "256", "--heads", "4", "--fine-tunes", "2", "--threads", "1", "--dir", dir.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        List<String> l = r.out().lines().toList();
        assertThat(l).hasSize(9);
        assertThat(l.get(0)).matches("generated a Llama-shaped bf16 base \\+ 2 fine-tunes: 57,536 parameters in 11 "
                + "tensors, 115 kB each in [0-9.]+ s; Vector API loops (on|off)");
        assertThat(l.get(1)).matches("raw floor" + TIME);
        assertThat(l.get(2)).matches("executor floor" + TIME);
        assertThat(l.get(3)).matches("ties density 0.2" + TIME);
        assertThat(l.get(4)).matches("raw floor again" + TIME);
        assertThat(l.get(6)).matches("ties density 0.2 again" + TIME);
        assertThat(l.get(7)).matches("ties / raw floor: [0-9.]+x, / executor floor: [0-9.]+x \\(wall, the faster run of each\\)");
        assertThat(l.get(8)).matches("ties / executor floor in CPU time: "
                + "([0-9.]+x|not measurable \\(under the CPU clock's resolution\\))");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void methodWithoutDensityGetsNone() {
        Cli.Result r = Cli.graft("bench", "merge", "--method", "task_arithmetic", "--hidden", "64", "--intermediate",
                "128", "--layers", "1", "--vocab", "256", "--heads", "4", "--fine-tunes", "1", "--threads", "1",
                "--dir", dir.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().toList().get(3)).matches("task_arithmetic" + TIME);
    }

    @Test
    void squareFamilyStillRuns() {
        Cli.Result r = Cli.graft("bench", "merge", "--family", "square", "--size", "1MB", "--fine-tunes", "1",
                "--threads", "1", "--dir", dir.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("generated a bf16 base + 1 fine-tunes: 1 tensors of 4096x4096, 33.6 MB each in ");
    }

    @Test
    void rejectsBadArguments() {
        Cli.Result f = Cli.graft("bench", "merge", "--family", "round", "--dir", dir.toString());
        assertThat(f.code()).isEqualTo(2);
        assertThat(f.err()).startsWith("graft: --family must be llama or square, not 'round'\n");
        Cli.Result m = Cli.graft("bench", "merge", "--method", "nosuch", "--hidden", "64", "--intermediate", "128",
                "--layers", "1", "--vocab", "256", "--heads", "4", "--dir", dir.toString());
        assertThat(m.code()).isEqualTo(2);
        assertThat(m.err()).startsWith("graft: --method: unknown merge method 'nosuch' (see graft methods)\n");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
