package dev.graft.linalg.cuda.discovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The site-packages folders of the {@code python3} on the PATH, where pip's {@code nvidia-*-cu12} wheels put the
 * CUDA libraries. Python itself is asked, because the folders depend on its version, prefix and virtual
 * environment.
 */
final class PythonSitePackages {
    private static final String SCRIPT =
            "import site\nfor p in site.getsitepackages() + [site.getusersitepackages()]: print(p)";
    private static final long TIMEOUT_SECONDS = 10;

    private PythonSitePackages() {
    }

    /** The folders python3 reports that exist; none when there is no python3 or it fails. */
    static List<Path> ofPython3() {
        try {
            Process p = new ProcessBuilder("python3", "-c", SCRIPT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            // A few lines of output: reading before waiting cannot fill the pipe.
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            return p.exitValue() != 0 ? List.of() : out.lines().filter(l -> !l.isBlank()).map(Path::of)
                    .filter(Files::isDirectory).toList();
        } catch (IOException e) {
            // No python3: the wheels cannot be installed either, so there is nothing to find.
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
