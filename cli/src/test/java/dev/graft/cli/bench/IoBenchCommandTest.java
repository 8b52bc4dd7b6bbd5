package dev.graft.cli.bench;

import dev.graft.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's plumbing on the smallest input it makes (two 33.6 MB tensors); its timings are not asserted. */
class IoBenchCommandTest {
    @TempDir
    Path dir;

    private int graft(StringWriter out, StringWriter err, String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), Map.of(), args);
    }

    @Test
    void runsPassesReportsAndCleansUp() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = graft(out, err, "bench", "io", "--size", "70MB", "--passes", "2", "--threads", "1",
                "--dir", dir.toString());
        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        assertThat(out.toString().lines().toList())
                .hasSize(5)
                .satisfies(l -> assertThat(l.get(0)).isEqualTo("generating " + dir.resolve("bench-input.safetensors")
                        + ": 2 bf16 tensors of 4096x4096, 67.1 MB"))
                .satisfies(l -> assertThat(l.get(1)).matches("  written in [0-9.]+ s, peak heap [0-9.]+ [kMG]B"))
                .satisfies(l -> assertThat(l.get(2)).matches("pass 1: warm-up write [0-9.]+ s; cat [0-9.]+ s .*"
                        + "read as float32 \\+ write back as bf16 on 1 threads .*"))
                .satisfies(l -> assertThat(l.get(3)).startsWith("pass 2: "))
                .satisfies(l -> assertThat(l.get(4)).matches("best: [0-9.]+ GB/s read\\+convert\\+write \\([0-9.]+x the time of cat\\); "
                        + "peak heap while writing 67.1 MB: [0-9.]+ [kMG]B \\(max heap [0-9.]+ [MG]B\\)"));
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void rejectsBadArguments() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(graft(out, err, "bench", "io", "--size", "lots")).isEqualTo(2);
        assertThat(err.toString()).startsWith(
                "graft: --size: not a size: \"lots\" (use e.g. 5GB, 500MB, 1.5GB or a byte count)\n");
        StringWriter err2 = new StringWriter();
        assertThat(graft(out, err2, "bench", "io", "--passes", "0")).isEqualTo(2);
        assertThat(err2.toString()).startsWith("graft: --passes must be at least 1\n");
    }
}
