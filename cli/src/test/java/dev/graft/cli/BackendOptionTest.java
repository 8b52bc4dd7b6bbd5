package dev.graft.cli;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.cuda.CudaLinearAlgebra;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** {@code graft --backend NAME COMMAND} switches the linear-algebra backend before the command runs. */
class BackendOptionTest {
    @TempDir
    Path dir;

    @AfterEach
    void backToTheCpu() {
        LinearAlgebra.use("cpu", note -> { });
    }

    @Test
    void anUnknownBackendFailsBeforeTheCommandRuns() {
        Cli.Result r = Cli.graft("--backend", "tpu", "inspect", "no-such-model");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: no linear-algebra backend named 'tpu' (system property "
                + "graft.linalg.backend); available: nd4j, cuda, cpu, auto\n");
    }

    @Test
    void autoWithoutAGpuRunsOnTheCpuAfterOneNote() throws IOException {
        String reason = new CudaLinearAlgebra().unavailableReason().orElse(null);
        assumeFalse(reason == null, "the CUDA backend loads here");
        Path model = TinyLlama.builder().layers(1).writeTo(dir.resolve("m"));
        Cli.Result r = Cli.graft("--backend", "auto", "inspect", model.toString());
        assertThat(r.code()).isEqualTo(0);
        assertThat(r.err()).isEqualTo("graft: note: backend auto: " + reason + "; using the CPU backend (nd4j)\n");
        assertThat(LinearAlgebra.get().name()).isEqualTo("nd4j");
    }

    @Test
    void cudaWithoutAGpuFailsWithTheBackendsReason() {
        String reason = new CudaLinearAlgebra().unavailableReason().orElse(null);
        assumeFalse(reason == null, "the CUDA backend loads here");
        Cli.Result r = Cli.graft("--backend", "cuda", "extract", "a", "b", "-o", dir.resolve("lora").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + reason + "\n");
        assertThat(LinearAlgebra.get().name()).isEqualTo("nd4j");
    }

    @Test
    void theTopLevelHelpOffersTheOption() {
        assertThat(Cli.graft("--help").out()).contains("--backend=cpu|cuda|auto");
    }

    @Test
    void afterTheCommandItIsAUsageError() {
        Cli.Result r = Cli.graft("inspect", "m", "--backend", "cpu");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("graft: Unknown options: '--backend', 'cpu'\n"
                + "Try 'graft inspect --help' for more information.\n");
    }
}
