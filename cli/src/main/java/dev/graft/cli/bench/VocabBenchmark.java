package dev.graft.cli.bench;

import dev.graft.core.vocab.EmbeddingRows;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.safetensors.SafetensorsFile;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.shard.ByteSize;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times the rebuild of one bf16 embedding for a new vocabulary against copying it through the same pipeline: both
 * read the matrix as float32 windows from its memory map and write it back as bf16, on one thread (the executor
 * gives each tensor one). The copy reads the stored rows in order; the rebuilds read them through
 * {@link EmbeddingRows}: a union that appends another model's tokens (the model's rows in order, then rows of the
 * other model), and one whose every row moved (its ids reversed, so every row is a read of its own).
 */
final class VocabBenchmark {
    private static final int WINDOW_ROWS_TARGET = 1 << 18;
    static final String NAME = "model.embed_tokens.weight";

    private final Path dir;
    private final int rows;
    private final int width;
    private final int added;
    private final int passes;
    private final PrintWriter log;

    VocabBenchmark(Path dir, int rows, int width, int added, int passes, PrintWriter log) {
        this.dir = dir;
        this.rows = rows;
        this.width = width;
        this.added = added;
        this.passes = passes;
        this.log = log;
    }

    /** One pass's costs: wall and process CPU time of each write. */
    record Pass(PhaseClock.Cost copy, PhaseClock.Cost union, PhaseClock.Cost moved) {
    }

    List<Pass> run() throws IOException {
        Path model = dir.resolve("bench-vocab-model.safetensors");
        Path other = dir.resolve("bench-vocab-other.safetensors");
        Path out = dir.resolve("bench-vocab-out.safetensors");
        try {
            TensorSpec spec = new TensorSpec(NAME, DType.BF16, Shape.of(rows, width));
            SyntheticCheckpoint.write(model, List.of(spec), 0);
            SyntheticCheckpoint.write(other, List.of(new TensorSpec(NAME, DType.BF16, Shape.of(added, width))), 1);
            log.printf("embedding %dx%d bf16 (%s), %d tokens of another model appended%n", rows, width,
                    ByteSize.format(spec.byteSize()), added);
            int[] own = new int[rows + added];
            int[] theirs = new int[rows + added];
            int[] reversed = new int[rows + added];
            for (int id = 0; id < rows + added; id++) {
                own[id] = id < rows ? id : -1;
                theirs[id] = id < rows ? -1 : id - rows;
                reversed[id] = id < rows ? rows - 1 - id : -1;
            }
            EmbeddingRows union = EmbeddingRows.decide(List.of(own, theirs), 0,
                    new EmbeddingRows.RowSetting[rows + added], rows + added);
            EmbeddingRows moved = EmbeddingRows.decide(List.of(reversed, theirs), 0,
                    new EmbeddingRows.RowSetting[rows + added], rows + added);
            List<Pass> done = new ArrayList<>();
            try (SafetensorsFile m = SafetensorsFile.open(model); SafetensorsFile o = SafetensorsFile.open(other)) {
                Tensor[] inputs = {m.view(m.tensors().getFirst()), o.view(o.tensors().getFirst())};
                for (int p = 1; p <= passes; p++) {
                    PhaseClock.Cost copy = write(out, rows, (first, dst, n) -> inputs[0].readFloats(first, dst, 0, n));
                    EmbeddingRows.Reader u = union.reader(inputs);
                    PhaseClock.Cost un = write(out, rows + added, (first, dst, n) -> u.read(0, first, dst, 0, n));
                    EmbeddingRows.Reader r = moved.reader(inputs);
                    PhaseClock.Cost mv = write(out, rows + added, (first, dst, n) -> r.read(0, first, dst, 0, n));
                    Pass pass = new Pass(copy, un, mv);
                    done.add(pass);
                    log.printf("pass %d: copy %.2f s (cpu %.2f s); union rebuild %.2f s (cpu %.2f s, %.2fx the "
                                    + "copy's wall time, %.2fx its cpu); every row moved %.2f s (cpu %.2f s, %.2fx, "
                                    + "%.2fx)%n", p, copy.seconds(), copy.cpuSeconds(), un.seconds(), un.cpuSeconds(),
                            un.seconds() / copy.seconds(), un.cpuSeconds() / copy.cpuSeconds(), mv.seconds(),
                            mv.cpuSeconds(), mv.seconds() / copy.seconds(), mv.cpuSeconds() / copy.cpuSeconds());
                    log.flush();
                }
            }
            return done;
        } finally {
            Files.deleteIfExists(model);
            Files.deleteIfExists(other);
            Files.deleteIfExists(out);
        }
    }

    /** Source of a window of whole rows, as float32. */
    private interface Rows {
        void read(long first, float[] dst, int n);
    }

    /** Streams {@code outRows} rows from {@code source} into a new bf16 file (fsync included); returns its cost. */
    private PhaseClock.Cost write(Path out, int outRows, Rows source) throws IOException {
        Files.deleteIfExists(out);
        TensorSpec spec = new TensorSpec(NAME, DType.BF16, Shape.of(outRows, width));
        float[] window = new float[Math.max(1, WINDOW_ROWS_TARGET / width) * width];
        PhaseClock clock = PhaseClock.start();
        try (SafetensorsWriter w = SafetensorsWriter.create(out, List.of(spec), SafetensorsWriter.PT_METADATA, false)) {
            try (SafetensorsWriter.TensorSink sink = w.sink(NAME)) {
                long total = spec.elementCount();
                for (long first = 0; first < total; first += window.length) {
                    int n = (int) Math.min(window.length, total - first);
                    source.read(first, window, n);
                    sink.writeFloats(window, 0, n);
                }
            }
            w.commit();
        }
        return clock.stop();
    }
}
