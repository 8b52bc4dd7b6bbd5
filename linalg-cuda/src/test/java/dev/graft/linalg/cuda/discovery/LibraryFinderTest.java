package dev.graft.linalg.cuda.discovery;

import dev.graft.linalg.cuda.CudaUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The search order over a fake tree of empty library files: nothing is loaded. */
class LibraryFinderTest {
    @TempDir
    Path root;

    private Path touch(String folder, String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve(folder));
        return Files.createFile(dir.resolve(name));
    }

    private LibraryFinder finder(Map<String, String> env) {
        return new LibraryFinder(env, List.of(root.resolve("usr-local-cuda"), root.resolve("usr-lib")),
                List.of(root.resolve("site1"), root.resolve("site2")));
    }

    @Test
    void foldersComeInTheDocumentedOrder() {
        Map<String, String> env = Map.of("CUDA_HOME", root.resolve("home").toString(),
                "LD_LIBRARY_PATH", root.resolve("ld1") + "::" + root.resolve("ld2"));
        assertThat(finder(env).folders(CudaLibrary.CUBLAS)).containsExactly(root.resolve("home/lib64"),
                root.resolve("home/lib"), root.resolve("ld1"), root.resolve("ld2"), root.resolve("usr-local-cuda"),
                root.resolve("usr-lib"), root.resolve("site1/nvidia/cublas/lib"),
                root.resolve("site2/nvidia/cublas/lib"));
    }

    @Test
    void cudaHomeWinsOverLdLibraryPathWhichWinsOverTheSystemAndPip() throws IOException {
        touch("site1/nvidia/cuda_runtime/lib", "libcudart.so.12");
        Path system = touch("usr-lib", "libcudart.so.12");
        Path ld = touch("ld", "libcudart.so.11.0");
        Path home = touch("home/lib64", "libcudart.so");
        assertThat(finder(Map.of()).find(CudaLibrary.CUDART)).isEqualTo(system);
        assertThat(finder(Map.of("LD_LIBRARY_PATH", root.resolve("ld").toString())).find(CudaLibrary.CUDART))
                .isEqualTo(ld);
        assertThat(finder(Map.of("LD_LIBRARY_PATH", root.resolve("ld").toString(), "CUDA_HOME",
                root.resolve("home").toString())).find(CudaLibrary.CUDART)).isEqualTo(home);
    }

    @Test
    void pipWheelFoldersAreFoundByTheLibrarysOwnWheel() throws IOException {
        touch("site1/nvidia/cublas/lib", "libcublasLt.so.12");
        Path cusolver = touch("site2/nvidia/cusolver/lib", "libcusolver.so.11");
        assertThat(finder(Map.of()).find(CudaLibrary.CUSOLVER)).isEqualTo(cusolver);
        assertThat(finder(Map.of()).find(CudaLibrary.CUBLAS_LT))
                .isEqualTo(root.resolve("site1/nvidia/cublas/lib/libcublasLt.so.12"));
    }

    @Test
    void theNewestSonameInAFolderWins() throws IOException {
        touch("usr-lib", "libcublas.so");
        touch("usr-lib", "libcublas.so.11");
        Path newest = touch("usr-lib", "libcublas.so.12");
        assertThat(finder(Map.of()).find(CudaLibrary.CUBLAS)).isEqualTo(newest);
    }

    @Test
    void aFolderNamedLikeALibraryIsNotOne() throws IOException {
        Files.createDirectories(root.resolve("usr-lib/libcudart.so.12"));
        Path real = touch("site1/nvidia/cuda_runtime/lib", "libcudart.so.12");
        assertThat(finder(Map.of()).find(CudaLibrary.CUDART)).isEqualTo(real);
    }

    @Test
    void aMissingLibraryIsNamedWithEveryFolderSearched() {
        LibraryFinder finder = new LibraryFinder(Map.of("CUDA_HOME", "/opt/cuda"), List.of(Path.of("/usr/lib")),
                List.of(Path.of("/py/site-packages")));
        assertThatThrownBy(() -> finder.find(CudaLibrary.CUSOLVER)).isInstanceOf(CudaUnavailableException.class)
                .hasMessage("CUDA library libcusolver not found (looked for libcusolver.so.12, libcusolver.so.11, "
                        + "libcusolver.so in /opt/cuda/lib64:/opt/cuda/lib:/usr/lib:"
                        + "/py/site-packages/nvidia/cusolver/lib); install the CUDA toolkit or the pip wheel "
                        + "nvidia-cusolver-cu12, or set CUDA_HOME");
    }
}
