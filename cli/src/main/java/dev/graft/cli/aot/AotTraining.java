package dev.graft.cli.aot;

import dev.graft.cli.Main;
import dev.graft.formats.simd.VectorWork;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run of the {@code graft} launcher's ahead-of-time cache (JDK 25, {@code -XX:AOTCacheOutput}): the
 * commands users run most, on a small generated family, in one JVM, so that the cache holds the classes they load
 * and link and the profiles of the methods they run: once as small work (the scalar loops), once as large work (the
 * Vector API's loops; {@link VectorWork}). Every later {@code graft} process of a streaming command
 * starts from that cache ({@code -XX:AOTCache}) instead of loading, verifying and linking those classes again.
 *
 * <p>Run by the launcher's build step as {@code java … -XX:AOTCacheOutput=… dev.graft.cli.aot.AotTraining DIR}; it
 * writes the family and the outputs under {@code DIR} and deletes them again.
 */
public final class AotTraining {

    private AotTraining() {
    }

    /** {@code AotTraining DIR}: runs the training commands in DIR (created when missing, emptied at the end). */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: AotTraining DIR");
            System.exit(2);
        }
        List<String> failed = run(Path.of(args[0]));
        if (!failed.isEmpty()) {
            System.err.println("graft: AOT training: " + failed.getFirst());
            System.exit(1);
        }
    }

    /**
     * Runs every training command in {@code dir} and removes what they wrote.
     *
     * @return one line per command that failed (its arguments and its first error line), empty when all ran
     */
    public static List<String> run(Path dir) {
        String f = dir.resolve("family").toString();
        String out = dir.resolve("out").toString();
        String ft1 = f + "/ft1";
        String ft2 = f + "/ft2";
        String ft3 = f + "/ft3";
        String base = f + "/base";
        String delta = out + "-bitdelta.safetensors";
        List<String[]> commands = List.of(
                new String[] {"bench", "family", "--dir", f, "--hidden", "128", "--intermediate", "352",
                        "--layers", "2", "--vocab", "1024", "--heads", "4", "--kv-heads", "2", "--force"},
                new String[] {"merge", "ties", ft1, ft2, ft3, "--base", base, "--weight", "1", "--density", "0.2",
                        "-o", out, "--force"},
                new String[] {"merge", "task_arithmetic", ft1, ft2, ft3, "--base", base, "--weight", "1",
                        "-o", out, "--force"},
                new String[] {"compress", "bitdelta", base, ft1, "-o", delta, "--force"},
                new String[] {"compress", "compeft", base, ft1, "-o", out + "-compeft.safetensors",
                        "--density", "0.05", "--force"},
                new String[] {"decompress", base, delta, "-o", out, "--force"},
                new String[] {"extract", base, ft1, "--rank", "8", "-o", out + "-lora", "--force"});
        List<String> failed = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (String[] command : commands) {
                run(command, failed);
            }
            // Small work runs the scalar loops and large work the Vector API's (VectorWork): the commands once more
            // as large work, so that the cache holds both.
            VectorWork.expect(VectorWork.threshold());
            for (String[] command : commands.subList(1, commands.size())) {
                run(command, failed);
            }
        } catch (IOException e) {
            failed.add(dir + ": " + e.getMessage());
        } finally {
            deleteContents(dir);
        }
        return failed;
    }

    private static void run(String[] command, List<String> failed) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of(), command);
        if (code != 0) {
            failed.add(String.join(" ", command) + ": " + err.toString().lines().findFirst().orElse(""));
        }
    }

    private static void deleteContents(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
