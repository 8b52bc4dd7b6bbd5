package dev.graft.core.exec;

import dev.graft.core.kernel.TensorParameters;
import dev.graft.core.plan.TaskInput;
import dev.graft.core.plan.TensorTask;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.NonFiniteValuesException;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The passes over a task's inputs as the executor reads them from files: the first scan keeps the decoded tensor
 * when the pool has room and later scans hand it over in place; a last scan keeps nothing and nothing may follow it.
 */
class MappedTensorInputsTest {
    private static final int CHUNK = MappedTensorInputs.CHUNK_TARGET;
    /** Rows of 1,024, one chunk's worth and 12 more: two chunks, the second short. */
    private static final int ROWS = CHUNK / 1024 + 12;
    private static final Shape SHAPE = Shape.of(ROWS, 1024);
    private static final int ELEMENTS = ROWS * 1024;

    @TempDir
    Path dir;
    private final List<ModelSource> sources = new ArrayList<>();
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
        sources.forEach(ModelSource::close);
    }

    /** Model j's element e is {@code j + e / 2^20}, exact in float32. */
    private static float value(int model, int e) {
        return model + e / (float) (1 << 20);
    }

    private ModelSource model(int j, float[] values) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("m" + j));
        Tensor t = Tensor.fromFloats("w", DType.F32, SHAPE, values);
        try (SafetensorsWriter w = SafetensorsWriter.create(folder.resolve("model.safetensors"), List.of(t.spec()),
                null, false)) {
            w.write(t);
            w.commit();
        }
        ModelSource m = ModelSource.open(folder);
        sources.add(m);
        return m;
    }

    private MappedTensorInputs inputs(InputCache pool) throws Exception {
        for (int j = 0; j < 2; j++) {
            float[] v = new float[ELEMENTS];
            for (int e = 0; e < ELEMENTS; e++) {
                v[e] = value(j, e);
            }
            model(j, v);
        }
        return new MappedTensorInputs(task(), sources, arena, pool);
    }

    /** Tensor "w" of models 0 (the base) and 1, read as stored. */
    private static TensorTask task() {
        TensorSpec spec = new TensorSpec("w", DType.F32, SHAPE);
        return new TensorTask(spec, List.of(new TaskInput(0, spec), new TaskInput(1, spec)), 0, SHAPE,
                new TensorParameters("w", List.of("base", "ft"), List.of(Map.of(), Map.of()), Map.of(), 0, 1),
                Optional.empty(), false);
    }

    /** One visit: the chunk's first element, its length, the offset into the arrays, their length. */
    private record Visit(long first, int length, int offset, int arrayLength) {
    }

    /** Runs a pass, checking every value handed over, and answers its visits. */
    private static List<Visit> pass(java.util.function.Consumer<dev.graft.core.kernel.ChunkVisitor> scan) {
        List<Visit> visits = new ArrayList<>();
        scan.accept((first, length, v, offset) -> {
            for (int j = 0; j < 2; j++) {
                for (int e = 0; e < length; e++) {
                    if (v[j][offset + e] != value(j, (int) first + e)) {
                        throw new AssertionError("input " + j + " element " + (first + e) + ": " + v[j][offset + e]);
                    }
                }
            }
            visits.add(new Visit(first, length, offset, v[0].length));
        });
        return visits;
    }

    private static final List<Visit> STREAMED = List.of(new Visit(0, CHUNK, 0, CHUNK),
            new Visit(CHUNK, ELEMENTS - CHUNK, 0, CHUNK));
    private static final List<Visit> HELD = List.of(new Visit(0, CHUNK, 0, ELEMENTS),
            new Visit(CHUNK, ELEMENTS - CHUNK, CHUNK, ELEMENTS));

    @Test
    void aFirstScanFillsTheCacheAndTheLastOneReadsFromIt() throws Exception {
        try (MappedTensorInputs in = inputs(new InputCache(1L << 30))) {
            assertThat(pass(in::scan)).as("first scan, decoded into the cache").isEqualTo(HELD);
            assertThat(pass(in::scan)).as("second scan, from the cache").isEqualTo(HELD);
            assertThat(pass(in::lastScan)).as("last scan, from the cache").isEqualTo(HELD);
        }
    }

    @Test
    void anOnlyScanThatIsTheLastStreamsThroughChunkBuffersAndLeavesThePoolEmpty() throws Exception {
        InputCache pool = new InputCache(2L * ELEMENTS * Float.BYTES);
        try (MappedTensorInputs in = inputs(pool)) {
            assertThat(pass(in::lastScan)).isEqualTo(STREAMED);
        }
        // The pool holds exactly one tensor's two inputs: had the last scan taken arrays, they would be free now
        // and handed out again, the very ones; fresh arrays prove it allocated none.
        float[][] fresh = pool.acquire(2, ELEMENTS);
        assertThat(fresh).isNotNull();
        assertThat(fresh[0]).containsOnly(0f);
        assertThat(fresh[1]).containsOnly(0f);
    }

    @Test
    void aScanAfterTheLastIsRefusedNamingTheTensor() throws Exception {
        try (MappedTensorInputs in = inputs(null)) {
            in.lastScan((first, length, v, offset) -> { });
            assertThatThrownBy(() -> in.scan((first, length, v, offset) -> { }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("tensor \"w\": scanned again after its last scan");
            assertThatThrownBy(() -> in.lastScan((first, length, v, offset) -> { }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("tensor \"w\": scanned again after its last scan");
        }
    }

    @Test
    void anOnlyLastScanStillCountsNonFiniteInputs() throws Exception {
        float[] base = new float[ELEMENTS];
        float[] ft = new float[ELEMENTS];
        ft[CHUNK + 3] = Float.NaN;
        ft[7] = Float.POSITIVE_INFINITY;
        model(0, base);
        Path ftPath = model(1, ft).path();
        try (MappedTensorInputs in = new MappedTensorInputs(task(), sources, arena, null)) {
            in.lastScan((first, length, v, offset) -> { });
            assertThat(in.allFinite(false)).isFalse();
            assertThatThrownBy(() -> in.allFinite(true)).isInstanceOf(NonFiniteValuesException.class)
                    .hasMessageContaining(ftPath.toString())
                    .hasMessageContaining("tensor \"w\" holds 2 non-finite values (NaN or ±Inf)");
        }
    }
}
