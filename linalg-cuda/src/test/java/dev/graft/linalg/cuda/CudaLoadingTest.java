package dev.graft.linalg.cuda;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.LinearAlgebraException;
import dev.graft.linalg.cuda.discovery.LibraryFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** How the backend reports what is missing, and how {@code auto} falls back. */
class CudaLoadingTest {
    @TempDir
    Path root;

    @Test
    void aMissingRuntimeIsTheFirstThingReported() {
        CudaLinearAlgebra cuda = new CudaLinearAlgebra(new LibraryFinder(Map.of(), List.of(root), List.of()));
        assertThat(cuda.name()).isEqualTo("cuda");
        assertThatThrownBy(cuda::load).isInstanceOf(CudaUnavailableException.class)
                .hasMessage("CUDA library libcudart not found (looked for libcudart.so.13, libcudart.so.12, "
                        + "libcudart.so.11.0, libcudart.so in " + root + "); install the CUDA toolkit or the pip "
                        + "wheel nvidia-cuda-runtime-cu12, or set CUDA_HOME");
        // Nothing was left half-loaded: asking again gives the same answer.
        assertThatThrownBy(() -> cuda.zeros(2, 2)).isInstanceOf(CudaUnavailableException.class)
                .hasMessageStartingWith("CUDA library libcudart not found");
    }

    @Test
    void aFileThatIsNoLibraryIsReportedByItsPath() throws IOException {
        Path fake = Files.createFile(root.resolve("libcudart.so.12"));
        CudaLinearAlgebra cuda = new CudaLinearAlgebra(new LibraryFinder(Map.of(), List.of(root), List.of()));
        assertThatThrownBy(cuda::load).isInstanceOf(CudaUnavailableException.class)
                .hasMessageStartingWith("cannot load " + fake + " (")
                .hasMessageEndingWith("); is a dependency of it missing from LD_LIBRARY_PATH?");
    }

    @Test
    void autoFallsBackToTheCpuWithOneNote() {
        String reason = new CudaLinearAlgebra().unavailableReason().orElse(null);
        assumeFalse(reason == null, "the CUDA backend loads here; the fallback is not exercised");
        List<String> notes = new ArrayList<>();
        LinearAlgebra la = LinearAlgebra.select("auto", notes::add);
        assertThat(la.name()).isEqualTo("nd4j");
        assertThat(notes).containsExactly("note: backend auto: " + reason + "; using the CPU backend (nd4j)");
        assertThat(reason).doesNotContain("\n");
    }

    @Test
    void namingCudaWithoutItIsAnErrorNotAFallback() {
        String reason = new CudaLinearAlgebra().unavailableReason().orElse(null);
        assumeFalse(reason == null, "the CUDA backend loads here");
        List<String> notes = new ArrayList<>();
        assertThatThrownBy(() -> LinearAlgebra.select("cuda", notes::add))
                .isInstanceOf(CudaUnavailableException.class).hasMessage(reason);
        assertThat(notes).isEmpty();
    }

    @Test
    void cpuNamesTheDefaultAndUnknownNamesListTheChoices() {
        assertThat(LinearAlgebra.select("cpu", s -> { }).name()).isEqualTo("nd4j");
        assertThatThrownBy(() -> LinearAlgebra.select("tpu", s -> { })).isInstanceOf(LinearAlgebraException.class)
                .hasMessage("no linear-algebra backend named 'tpu' (system property graft.linalg.backend); "
                        + "available: nd4j, cuda, cpu, auto");
    }
}
