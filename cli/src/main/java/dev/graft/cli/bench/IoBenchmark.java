package dev.graft.cli.bench;

import dev.graft.formats.safetensors.SafetensorsFile;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.safetensors.TensorInfo;
import dev.graft.formats.shard.ByteSize;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The formats layer's throughput and memory figures, measured on a generated bf16 checkpoint:
 * <ul>
 *   <li>read every tensor into float32 and write it back as bf16 (the work every merge does around its math),
 *   against {@code cat FILE > /dev/null} on the same warm file, in one run;</li>
 *   <li>peak Java heap while the file is written, which must not grow with the model.</li>
 * </ul>
 */
public final class IoBenchmark {
    /** Floats per window: 1 MiB of float32 per thread, small enough to stay in cache. */
    private static final int WINDOW = 1 << 18;

    /**
     * One read-convert-write pass and what ran just before it: {@code cat} of the input, and a warm-up write of the
     * same number of bytes. The warm-up is there because on virtual machines the first touch of page-cache memory
     * the guest has not used before is slow (a plain {@code dd} of 2 GB to a new file took 0.56–5.1 s in a row on
     * the development machine); writing once first lets the pass reuse memory the guest already touched, so the
     * pass measures Graft, not the hypervisor.
     */
    public record Pass(double catSeconds, double warmUpWriteSeconds, double roundTripSeconds, double fsyncSeconds) {
        /** How many times longer than {@code cat FILE > /dev/null} the pass took. */
        public double ratioToCat() {
            return roundTripSeconds / catSeconds;
        }
    }

    /** What a run measured: the generation of the input, then each pass. */
    public record Result(long bytes, int threads, double generateSeconds, long generatePeakHeapBytes, List<Pass> passes) {
        /** The fastest pass: later passes no longer pay the first touch of fresh page-cache memory. */
        public Pass best() {
            return passes.stream().min(java.util.Comparator.comparingDouble(Pass::roundTripSeconds)).orElseThrow();
        }

        public double gbPerSecond(Pass p) {
            return bytes / 1e9 / p.roundTripSeconds();
        }
    }

    private final Path dir;
    private final long targetBytes;
    private final int threads;
    private final int passes;
    private final PrintWriter log;

    /**
     * @param dir         where the generated input and the output go (needs twice the size free)
     * @param targetBytes size of the generated checkpoint (rounded down to whole 32 MiB tensors)
     * @param threads     threads converting tensors in parallel
     * @param passes      read-convert-write passes over the same input
     */
    public IoBenchmark(Path dir, long targetBytes, int threads, int passes, PrintWriter log) {
        this.dir = dir;
        this.targetBytes = targetBytes;
        this.threads = threads;
        this.passes = passes;
        this.log = log;
    }

    public Result run() throws IOException, InterruptedException {
        Path input = dir.resolve("bench-input.safetensors");
        Path output = dir.resolve("bench-output.safetensors");
        Files.deleteIfExists(input);
        Files.deleteIfExists(output);
        try {
            List<TensorSpec> specs = SyntheticCheckpoint.squareLayers(targetBytes);
            long bytes = specs.stream().mapToLong(TensorSpec::byteSize).sum();
            log.printf("generating %s: %d bf16 tensors of %dx%d, %s%n", input, specs.size(), SyntheticCheckpoint.SIDE,
                    SyntheticCheckpoint.SIDE, ByteSize.format(bytes));
            log.flush();
            HeapPeak.reset();
            long t0 = System.nanoTime();
            SyntheticCheckpoint.write(input, specs, 0);
            double generate = seconds(t0);
            long heapPeak = HeapPeak.bytes();
            log.printf("  written in %.2f s, peak heap %s%n", generate, ByteSize.format(heapPeak));

            cat(input); // warm the page cache
            List<Pass> done = new ArrayList<>();
            for (int p = 1; p <= passes; p++) {
                Files.deleteIfExists(output);
                long t1 = System.nanoTime();
                cat(input);
                double cat = seconds(t1);
                Path scratch = dir.resolve("bench-warm-up.bin");
                double warmUp = warmUpWrite(scratch, bytes);
                Files.deleteIfExists(scratch);
                long t2 = System.nanoTime();
                double fsync;
                try (SafetensorsFile in = SafetensorsFile.open(input);
                     SafetensorsWriter out = SafetensorsWriter.create(output, specs, SafetensorsWriter.PT_METADATA, false)) {
                    convertAll(in, out);
                    long tc = System.nanoTime();
                    out.commit();
                    fsync = seconds(tc);
                }
                Pass pass = new Pass(cat, warmUp, seconds(t2), fsync);
                done.add(pass);
                log.printf("pass %d: warm-up write %.2f s; cat %.2f s (%.1f GB/s); read as float32 + write back as bf16 "
                                + "on %d threads %.2f s (%.2f GB/s, fsync %.2f s): %.1fx the time of cat%n",
                        p, warmUp, cat, bytes / 1e9 / cat, threads, pass.roundTripSeconds(),
                        bytes / 1e9 / pass.roundTripSeconds(), fsync, pass.ratioToCat());
                log.flush();
            }
            return new Result(bytes, threads, generate, heapPeak, done);
        } finally {
            Files.deleteIfExists(input);
            Files.deleteIfExists(output);
        }
    }

    private void convertAll(SafetensorsFile in, SafetensorsWriter out) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (TensorInfo info : in.tensors()) {
                jobs.add(pool.submit(() -> {
                    Tensor t = in.view(info);
                    float[] window = new float[WINDOW];
                    try (SafetensorsWriter.TensorSink sink = out.sink(info.name())) {
                        for (long first = 0; first < t.elementCount(); first += window.length) {
                            int n = (int) Math.min(window.length, t.elementCount() - first);
                            t.readFloats(first, window, 0, n);
                            sink.writeFloats(window, 0, n);
                        }
                    }
                }));
            }
            for (Future<?> f : jobs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("conversion failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writes {@code bytes} bytes to a new file from one reused buffer, fsync included; returns the seconds taken. */
    private static double warmUpWrite(Path file, long bytes) throws IOException {
        long t = System.nanoTime();
        RawFloor.writeAndSync(file, bytes);
        return seconds(t);
    }

    private static void cat(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("cat", file.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (p.waitFor() != 0) {
            throw new IOException("cat " + file + " failed");
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
