package dev.graft.formats.pytorch;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read speed of PyTorch checkpoints, run by hand (docs/formats.md quotes it): writes a bf16 checkpoint of
 * 21 tensors of 4096×4096 (704 MB) to the path in {@code graft.bench.torch}, keeps it there for a command-line
 * figure ({@code graft convert}), and times, warm, opening it and reading every tensor as float32 through a
 * window (read + decode), against a plain pass over the same mapped bytes.
 *
 * <pre>
 * ./mvnw -o -pl formats test -Dtest=TorchReadBenchmark -Dgraft.bench.torch=/dev/shm/bench.bin
 * ./mvnw -o -pl formats test -Dtest=TorchReadBenchmark -Dgraft.bench.torch=/dev/shm/bench.bin -Dgraft.bench.torch.tensors=32
 * </pre>
 */
@EnabledIfSystemProperty(named = "graft.bench.torch", matches = ".+")
class TorchReadBenchmark {
    private static final int SIDE = 4096;
    /** 21 tensors (704 MB) unless {@code graft.bench.torch.tensors} says otherwise (32: 1.07 GB). */
    private static final int TENSORS = Integer.getInteger("graft.bench.torch.tensors", 21);
    private static final int PASSES = 5;

    @Test
    void readsAndDecodesAt() throws IOException {
        Path file = Path.of(System.getProperty("graft.bench.torch"));
        write(file);
        long bytes = (long) TENSORS * SIDE * SIDE * 2;
        float[] window = new float[1 << 16];
        double best = Double.MAX_VALUE;
        double bestScan = Double.MAX_VALUE;
        double checksum = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            long t0 = System.nanoTime();
            try (TorchCheckpoint f = TorchCheckpoint.open(file)) {
                for (TensorSpec s : f.specs()) {
                    try (Arena arena = Arena.ofConfined()) {
                        Tensor t = f.tensor(s.name(), arena);
                        for (long first = 0; first < t.elementCount(); first += window.length) {
                            t.readFloats(first, window, 0, window.length);
                            checksum += window[window.length - 1];
                        }
                    }
                }
            }
            long t1 = System.nanoTime();
            long sum = 0;
            try (TorchCheckpoint f = TorchCheckpoint.open(file)) {
                for (TensorSpec s : f.specs()) {
                    MemorySegment data = f.tensor(s.name()).data();
                    for (long i = 0; i < data.byteSize(); i += 8) {
                        sum += data.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
                    }
                }
            }
            long t2 = System.nanoTime();
            best = Math.min(best, (t1 - t0) / 1e9);
            bestScan = Math.min(bestScan, (t2 - t1) / 1e9);
            System.out.printf("pass %d: read + decode %.3f s (%.2f GB/s); scan of the mapped bytes %.3f s (%.2f GB/s)"
                    + " [%d]%n", pass + 1, (t1 - t0) / 1e9, bytes / ((t1 - t0) / 1e9) / 1e9, (t2 - t1) / 1e9,
                    bytes / ((t2 - t1) / 1e9) / 1e9, sum & 1);
        }
        System.out.printf("best: read + decode %.2f GB/s, scan %.2f GB/s of a %d MB bf16 checkpoint [%s]%n",
                bytes / best / 1e9, bytes / bestScan / 1e9, Files.size(file) / 1_000_000, checksum != 0);
        assertThat(best).isPositive();
    }

    private static void write(Path file) throws IOException {
        TorchSave save = new TorchSave().transformersStyle().folder("pytorch_model");
        SplittableRandom random = new SplittableRandom(7);
        try (Arena arena = Arena.ofShared()) {
            for (int i = 0; i < TENSORS; i++) {
                MemorySegment s = arena.allocate((long) SIDE * SIDE * 2, 64);
                for (long k = 0; k < s.byteSize(); k += 8) {
                    // bf16 values of magnitude 2^-8 to 2^7, random sign and mantissa: finite, like weights.
                    long v = 0;
                    for (int e = 0; e < 4; e++) {
                        long bits = (random.nextInt(2) << 15) | ((120L + random.nextInt(16)) << 7) | random.nextInt(128);
                        v |= bits << (16 * e);
                    }
                    s.set(ValueLayout.JAVA_LONG_UNALIGNED, k, v);
                }
                save.storage(Integer.toString(i), DType.BF16, s).parameter("model.layers." + i + ".weight",
                        Integer.toString(i), 0, SIDE, SIDE);
            }
            save.write(file);
        }
    }
}
