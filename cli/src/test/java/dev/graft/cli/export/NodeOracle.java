package dev.graft.cli.export;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs one of the Node.js scripts in {@code cli/src/test/gguf-oracle} (third-party GGUF readers, pinned in its
 * {@code package-lock.json}, installed by {@code scripts/install-gguf-oracle.sh}) and returns what it printed.
 *
 * <p>Fails, rather than skips, when Node.js or the package is missing, so that CI cannot pass without the
 * oracles; {@code GRAFT_SKIP_NODE=1} skips the calling test on machines without Node.js.
 */
final class NodeOracle {
    /** Set to skip the oracle tests where Node.js is not installed. */
    static final String SKIP_ENV = "GRAFT_SKIP_NODE";
    private static final Path DIR = Path.of("src/test/gguf-oracle").toAbsolutePath();

    private NodeOracle() {
    }

    /**
     * Runs {@code node script args…} in the oracle folder.
     *
     * @param module  the npm package the script imports, checked to be installed first
     * @param timeout seconds the script may run
     * @return its standard output
     */
    static byte[] run(String module, String script, long timeout, List<String> args)
            throws IOException, InterruptedException {
        if (System.getenv(SKIP_ENV) != null) {
            Assumptions.abort(SKIP_ENV + " is set: the " + module + " oracle is not run");
        }
        assertThat(DIR.resolve("node_modules").resolve(module))
                .as("the GGUF oracle %s is not installed: run scripts/install-gguf-oracle.sh (or set %s=1 to skip)",
                        module, SKIP_ENV)
                .isDirectory();
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve(script).toString()));
        command.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(command).directory(DIR.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("node is not on the PATH: install Node.js 20+ (or set " + SKIP_ENV
                    + "=1 to skip)", e);
        }
        p.getOutputStream().close();
        // stderr is read on its own thread so that a chatty script cannot fill the pipe and stall
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.startVirtualThread(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.complete("(stderr unreadable: " + e.getMessage() + ")");
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node " + script + " ran past " + timeout + " s");
        }
        assertThat(p.exitValue()).as("node %s failed: %s", script, err.join()).isZero();
        return out;
    }
}
