package dev.graft.cli.bench;

import dev.graft.algorithms.simd.Simd;
import dev.graft.core.exec.MergeJob;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.method.ParameterDef;
import dev.graft.core.plan.RequestBuilder;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A merge method on generated bf16 checkpoints against two floors measured in the same run, each phase twice,
 * alternating: the raw floor ({@link RawFloor}: every input file read into nothing, one file of the output's size
 * written and fsynced) and the executor floor ({@link ReadFloor}: every input decoded to float32 and the base
 * encoded back, through the same executor, no math). Each phase reports wall time, process CPU time and peak
 * resident memory. This is the warm, in-process measurement; the cold one (a fresh {@code graft} process per run)
 * is {@code scripts/bench-cold.sh}.
 */
public final class MergeBenchmark {
    /**
     * One timed phase.
     *
     * @param seconds    wall time
     * @param cpuSeconds CPU time of the whole process over the phase (all threads), or -1 where the JVM cannot tell;
     *                   less sensitive than wall time to other work on a shared machine
     */
    public record Phase(String name, double seconds, double cpuSeconds, long peakRssBytes) {
    }

    /** Writes the inputs of a benchmark into a folder and says what they are. */
    public interface Inputs {
        /** Writes the base and the fine-tunes into {@code dir}; returns their paths, base first. */
        List<Path> write(Path dir) throws IOException;

        /** One line on what was written, for the log. */
        String describe();
    }

    /** The phases of one round, in the order they run (and in {@link #run()}'s result, round after round). */
    public static final List<String> PHASES = List.of("raw floor", "executor floor", "method");

    private final Path dir;
    private final Inputs inputs;
    private final String method;
    private final double density;
    private final int threads;
    private final long cacheBytes;
    private final PrintWriter log;

    /**
     * @param method     the merge method timed; every model gets weight 1, and density {@code density} where the
     *                   method takes one
     * @param cacheBytes the pass cache of the merges ({@link MergeOptions#cacheBytes()}); 0 re-reads the files on
     *                   every pass
     */
    public MergeBenchmark(Path dir, Inputs inputs, String method, double density, int threads, long cacheBytes,
                          PrintWriter log) {
        this.dir = dir;
        this.inputs = inputs;
        this.method = method;
        this.cacheBytes = cacheBytes;
        this.density = density;
        this.threads = threads;
        this.log = log;
    }

    /**
     * Generates the inputs, runs two rounds of {@link #PHASES} and deletes every file it wrote.
     *
     * @throws IllegalArgumentException when no method has the name given
     */
    public List<Phase> run() throws IOException {
        MethodRegistry methods = MethodRegistry.load();
        MergeMethod m = methods.find(method).orElseThrow(() -> new IllegalArgumentException(
                "unknown merge method '" + method + "' (see graft methods)"));
        Map<String, Object> params = new HashMap<>();
        params.put("weight", 1.0);
        if (m.modelParameters().stream().map(ParameterDef::name).anyMatch("density"::equals)) {
            params.put("density", density);
        }
        // formats.io's scratch folder: deleted when closed, at exit, or by a later run if this one is killed
        try (dev.graft.formats.io.ScratchFolder scratch =
                     dev.graft.formats.io.ScratchFolder.beside(dir.resolve("graft-bench-merge"))) {
            Path work = scratch.path();
            Path out = work.resolve("merged.safetensors");
            long t0 = System.nanoTime();
            List<Path> models = inputs.write(work.resolve("inputs"));
            log.printf("generated %s in %.1f s; Vector API loops %s%n", inputs.describe(),
                    (System.nanoTime() - t0) / 1e9, Simd.describe());
            long outputBytes = RawFloor.bytes(List.of(models.getFirst()));
            List<Phase> phases = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                String again = round == 0 ? "" : " again";
                phases.add(rawFloor("raw floor" + again, models, outputBytes, work.resolve("raw-floor.out")));
                phases.add(merge("executor floor" + again, "io_floor", models, out, Map.of(),
                        MethodRegistry.of(new ReadFloor())));
                phases.add(merge(method + (params.containsKey("density") ? " density " + density : "") + again,
                        method, models, out, params, methods));
            }
            return phases;
        }
    }

    private Phase rawFloor(String label, List<Path> models, long outputBytes, Path scratch) throws IOException {
        PhaseClock clock = PhaseClock.start();
        RawFloor.run(models, outputBytes, scratch);
        return report(label, clock.stop());
    }

    private Phase merge(String label, String name, List<Path> models, Path out, Map<String, Object> params,
                        MethodRegistry methods) throws IOException {
        Files.deleteIfExists(out);
        RequestBuilder b = new RequestBuilder(name).base("base", models.getFirst());
        for (int k = 1; k < models.size(); k++) {
            b.model("ft" + k, models.get(k), params);
        }
        PhaseClock clock = PhaseClock.start();
        new MergeJob(methods, MergeOptions.defaults().withThreads(threads).withCacheBytes(cacheBytes))
                .run(b.build(), out);
        return report(label, clock.stop());
    }

    private Phase report(String label, PhaseClock.Cost cost) {
        log.printf("%-28s %6.2f s  cpu %s  peak RSS %s%n", label, cost.seconds(),
                cost.cpuSeconds() < 0 ? "n/a" : String.format("%6.2f s", cost.cpuSeconds()), cost.peakRssText());
        log.flush();
        return new Phase(label, cost.seconds(), cost.cpuSeconds(), cost.peakRssBytes());
    }
}
