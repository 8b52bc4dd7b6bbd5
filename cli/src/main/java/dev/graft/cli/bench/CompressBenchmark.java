package dev.graft.cli.bench;

import dev.graft.algorithms.compress.BitDelta;
import dev.graft.algorithms.compress.ComPeft;
import dev.graft.algorithms.compress.Compression;
import dev.graft.algorithms.compress.CompressionReport;
import dev.graft.algorithms.compress.Decompression;
import dev.graft.algorithms.compress.DeltaCodec;
import dev.graft.algorithms.simd.Simd;
import dev.graft.formats.shard.ByteSize;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compression and decompression of a generated bf16 base/fine-tune pair against their I/O floors (the same
 * pipeline with {@link IoFloorCodec}: every tensor read, nothing computed), with peak resident memory.
 */
public final class CompressBenchmark {
    /**
     * One timed run.
     *
     * @param seconds    wall time
     * @param cpuSeconds CPU time of the whole process (all threads, JIT and GC included): steadier than wall time
     *                   on a shared machine
     */
    public record Phase(String name, double seconds, double cpuSeconds, long peakRssBytes, long outputBytes) {
    }

    private final Path dir;
    private final long bytesPerModel;
    private final int threads;
    private final PrintWriter log;

    public CompressBenchmark(Path dir, long bytesPerModel, int threads, PrintWriter log) {
        this.dir = dir;
        this.bytesPerModel = bytesPerModel;
        this.threads = threads;
        this.log = log;
    }

    /**
     * Floor, BitDelta, ComPEFT, twice over (writes on shared or virtual machines vary run to run): the six compress
     * phases, then the six decompress phases in the same order.
     */
    public List<Phase> run() throws IOException {
        List<TensorSpec> specs = SyntheticCheckpoint.squareLayers(bytesPerModel);
        int n = specs.size();
        int side = SyntheticCheckpoint.SIDE;
        Path base = dir.resolve("bench-compress-base.safetensors");
        Path tuned = dir.resolve("bench-compress-ft.safetensors");
        List<Path> outputs = new ArrayList<>(List.of(base, tuned));
        try {
            long t0 = System.nanoTime();
            Files.deleteIfExists(base);
            Files.deleteIfExists(tuned);
            SyntheticCheckpoint.write(base, specs, 0);
            SyntheticCheckpoint.write(tuned, specs, 1);
            log.printf("generated a bf16 base and fine-tune: %d tensors of %dx%d (%.2f G parameters, %s each) "
                            + "in %.1f s; %d threads; Vector API loops %s%n", n, side, side, n * (double) side * side / 1e9,
                    ByteSize.format(n * 2L * side * side), (System.nanoTime() - t0) / 1e9, threads, Simd.describe());
            log.flush();
            List<DeltaCodec> once = List.of(new IoFloorCodec(), new BitDelta(), new ComPeft(ComPeft.DEFAULT_DENSITY,
                    Double.NaN));
            List<DeltaCodec> codecs = new ArrayList<>(once);
            codecs.addAll(once);
            List<Phase> phases = new ArrayList<>();
            List<Path> deltas = new ArrayList<>();
            for (int i = 0; i < codecs.size(); i++) {
                Path delta = dir.resolve("bench-delta-" + i + ".safetensors");
                outputs.add(delta);
                deltas.add(delta);
                DeltaCodec c = codecs.get(i);
                phases.add(time("compress " + label(c, i), () -> {
                    CompressionReport r = Compression.with(c).base(base).tuned(tuned).threads(threads).overwrite(true)
                            .write(delta);
                    return r.fileBytes();
                }));
            }
            Path restored = dir.resolve("bench-restored.safetensors");
            outputs.add(restored);
            for (int i = 0; i < codecs.size(); i++) {
                DeltaCodec c = codecs.get(i);
                Path delta = deltas.get(i);
                phases.add(time("decompress " + label(c, i), () -> Decompression.options().threads(threads)
                        .overwrite(true).codec(c).run(base, delta, restored).bytes()));
            }
            return phases;
        } finally {
            for (Path p : outputs) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String label(DeltaCodec c, int i) {
        return c.method() + (i >= 3 ? " again" : "");
    }

    private interface Work {
        long run();
    }

    private Phase time(String label, Work work) {
        PhaseClock clock = PhaseClock.start();
        long bytes = work.run();
        PhaseClock.Cost cost = clock.stop();
        log.printf("%-28s %7.2f s  CPU %6.2f s  peak RSS %s  output %s%n", label, cost.seconds(),
                cost.cpuSeconds(), cost.peakRssText(), ByteSize.format(bytes));
        log.flush();
        return new Phase(label, cost.seconds(), cost.cpuSeconds(), cost.peakRssBytes(), bytes);
    }
}
