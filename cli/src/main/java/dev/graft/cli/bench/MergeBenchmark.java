package dev.graft.cli.bench;

import dev.graft.algorithms.simd.Simd;
import dev.graft.core.exec.MergeJob;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.RequestBuilder;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.shard.ByteSize;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TIES on generated bf16 checkpoints against the I/O floor of the same merge (every input read, the output written,
 * no math), through the same executor, with the peak resident memory of each phase.
 */
public final class MergeBenchmark {
    /**
     * One timed merge.
     *
     * @param seconds    wall time
     * @param cpuSeconds CPU time of the whole process over the phase (all threads), or -1 where the JVM cannot tell;
     *                   less sensitive than wall time to other work on a shared machine
     */
    public record Phase(String name, double seconds, double cpuSeconds, long peakRssBytes) {
    }

    private final Path dir;
    private final long bytesPerModel;
    private final int fineTunes;
    private final double density;
    private final int threads;
    private final long cacheBytes;
    private final PrintWriter log;

    /**
     * @param cacheBytes the pass cache of the merges ({@link MergeOptions#cacheBytes()}); 0 re-reads the files on
     *                   every pass
     */
    public MergeBenchmark(Path dir, long bytesPerModel, int fineTunes, double density, int threads, long cacheBytes,
                          PrintWriter log) {
        this.dir = dir;
        this.cacheBytes = cacheBytes;
        this.bytesPerModel = bytesPerModel;
        this.fineTunes = fineTunes;
        this.density = density;
        this.threads = threads;
        this.log = log;
    }

    public List<Phase> run() throws IOException {
        List<TensorSpec> specs = SyntheticCheckpoint.squareLayers(bytesPerModel);
        List<Path> files = new ArrayList<>();
        Path out = dir.resolve("bench-merged.safetensors");
        try {
            long t0 = System.nanoTime();
            for (int m = 0; m <= fineTunes; m++) {
                Path f = dir.resolve(m == 0 ? "bench-base.safetensors" : "bench-ft" + m + ".safetensors");
                Files.deleteIfExists(f);
                SyntheticCheckpoint.write(f, specs, m);
                files.add(f);
            }
            log.printf("generated base + %d fine-tunes: %d bf16 tensors of %dx%d, %s each, in %.1f s; Vector API "
                            + "loops %s%n", fineTunes, specs.size(), SyntheticCheckpoint.SIDE, SyntheticCheckpoint.SIDE,
                    ByteSize.format(specs.stream().mapToLong(TensorSpec::byteSize).sum()), (System.nanoTime() - t0) / 1e9,
                    Simd.ENABLED ? "on" : "off");
            log.flush();
            List<Phase> phases = new ArrayList<>();
            phases.add(time("I/O floor", "io_floor", files, out, Map.of(), MethodRegistry.of(new ReadFloor())));
            phases.add(time("ties density " + density, "ties", files, out, Map.of("weight", 1.0, "density", density),
                    MethodRegistry.load()));
            phases.add(time("I/O floor again", "io_floor", files, out, Map.of(), MethodRegistry.of(new ReadFloor())));
            phases.add(time("ties again", "ties", files, out, Map.of("weight", 1.0, "density", density),
                    MethodRegistry.load()));
            return phases;
        } finally {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(out);
        }
    }

    private Phase time(String label, String method, List<Path> files, Path out, Map<String, Object> params,
                       MethodRegistry methods) throws IOException {
        Files.deleteIfExists(out);
        RequestBuilder b = new RequestBuilder(method).base("base", files.getFirst());
        for (int m = 1; m < files.size(); m++) {
            b.model("ft" + m, files.get(m), params);
        }
        PhaseClock clock = PhaseClock.start();
        new MergeJob(methods, MergeOptions.defaults().withThreads(threads).withCacheBytes(cacheBytes))
                .run(b.build(), out);
        PhaseClock.Cost cost = clock.stop();
        log.printf("%-22s %6.2f s  cpu %s  peak RSS %s%n", label, cost.seconds(),
                cost.cpuSeconds() < 0 ? "n/a" : String.format("%6.2f s", cost.cpuSeconds()), cost.peakRssText());
        log.flush();
        return new Phase(label, cost.seconds(), cost.cpuSeconds(), cost.peakRssBytes());
    }

}
