package dev.graft.formats.gguf;

import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded mutation fuzzing of the reader over files Graft wrote: whatever the bytes, opening either succeeds (and
 * then every tensor and metadata value reads) or fails with a {@link GgufException}; it never throws anything else
 * and never allocates in proportion to counts or lengths the file merely declares.
 */
class GgufFuzzTest {
    private static final int ITERATIONS = 20_000;
    private static final int WARM_UP = 2_000;
    /** Opening copies metadata arrays and decodes strings a few times; sizes the file declares must not count. */
    private static final long ALLOCATION_FACTOR = 24;
    private static final long ALLOCATION_SLACK = 256 * 1024;

    @TempDir
    Path dir;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private byte[] seed(String name, Map<String, GgufValue> meta, List<GgufLayout.Entry> entries) throws IOException {
        Path p = dir.resolve(name + ".gguf");
        SplittableRandom r = new SplittableRandom(11);
        try (GgufWriter w = GgufWriter.create(p, GgufLayout.plan(p, meta, entries), false)) {
            for (GgufLayout.Entry e : entries) {
                float[] v = new float[(int) e.shape().elementCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian();
                }
                w.writeFloats(e.name(), v);
            }
            w.commit();
        }
        return Files.readAllBytes(p);
    }

    private List<byte[]> seeds() throws IOException {
        Map<String, GgufValue> meta = new LinkedHashMap<>();
        meta.put("general.architecture", GgufValue.string("llama"));
        meta.put("llama.block_count", GgufValue.u32(2));
        meta.put("tokenizer.ggml.tokens", GgufValue.strings(List.of("<s>", "a", "Ġb")));
        meta.put("tokenizer.ggml.scores", GgufValue.f32s(new float[] {0, -1, -2}));
        meta.put("tokenizer.ggml.token_type", GgufValue.i32s(new int[] {3, 1, 1}));
        meta.put("flag", GgufValue.bool(true));
        meta.put("big", GgufValue.u64(1L << 40));
        List<GgufLayout.Entry> all = List.of(new GgufLayout.Entry("f32", GgufTensorType.F32, Shape.of(2, 3)),
                new GgufLayout.Entry("f16", GgufTensorType.F16, Shape.of(5)),
                new GgufLayout.Entry("bf16", GgufTensorType.BF16, Shape.of(2, 2)),
                new GgufLayout.Entry("q8", GgufTensorType.Q8_0, Shape.of(2, 32)),
                new GgufLayout.Entry("q4", GgufTensorType.Q4_0, Shape.of(1, 64)));
        return List.of(seed("all", meta, all),
                seed("one", Map.of("general.alignment", GgufValue.u32(64)),
                        List.of(new GgufLayout.Entry("w", GgufTensorType.Q8_0, Shape.of(32)))),
                seed("none", Map.of("general.name", GgufValue.string("x")), List.of()));
    }

    @Test
    @Timeout(120)
    void mutatedFilesFailOnlyWithGgufExceptions() throws IOException {
        List<byte[]> seeds = seeds();
        int[] headers = seeds.stream().mapToInt(GgufFuzzTest::headerLength).toArray();
        SplittableRandom rnd = new SplittableRandom(20261206);
        Path target = dir.resolve("fuzz.gguf");
        Map<GgufError, Integer> seen = new EnumMap<>(GgufError.class);
        int accepted = 0;
        for (int it = -WARM_UP; it < ITERATIONS; it++) {
            int pick = rnd.nextInt(seeds.size());
            byte[] input = mutate(seeds.get(pick), headers[pick], rnd);
            Files.write(target, input);
            try (GgufFile f = GgufFile.open(target)) {
                accepted++;
                readEverything(f);
            } catch (GgufException e) {
                seen.merge(e.error(), 1, Integer::sum);
                assertThat(e.getMessage()).startsWith(target + ": ").doesNotContain("\n");
            } catch (Throwable t) {
                throw new AssertionError("iteration " + it + ": unexpected " + t + " for input "
                        + java.util.HexFormat.of().formatHex(Arrays.copyOf(input, Math.min(512, input.length))), t);
            }
            if (it >= 0) {
                // measured on a second reading of the same bytes, so that the first use of a rare path (class
                // loading, a charset decoder's error tables) is not taken for the input's doing
                long before = threads.getCurrentThreadAllocatedBytes();
                try (GgufFile f = GgufFile.open(target)) {
                    readEverything(f);
                } catch (GgufException expected) {
                    // counted above
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertThat(allocated).as("bytes allocated opening a %d-byte file (iteration %d)", input.length, it)
                        .isLessThan(ALLOCATION_FACTOR * input.length + ALLOCATION_SLACK);
            }
        }
        assertThat(seen.keySet()).contains(GgufError.NOT_GGUF, GgufError.UNSUPPORTED_VERSION, GgufError.TRUNCATED,
                GgufError.UNKNOWN_VALUE_TYPE, GgufError.UNKNOWN_TENSOR_TYPE, GgufError.INVALID_OFFSET,
                GgufError.INVALID_SHAPE, GgufError.INVALID_UTF8);
        assertThat(accepted).isGreaterThan(ITERATIONS / 50);
    }

    private static void readEverything(GgufFile f) {
        for (GgufValue v : f.header().metadata().values()) {
            if (v.type() == GgufValueType.ARRAY) {
                v.asList().forEach(java.util.Objects::requireNonNull);
            }
        }
        for (GgufTensorInfo info : f.header().tensors()) {
            if (!info.type().isConvertible() || info.elementCount() > 1 << 20) {
                continue;
            }
            TensorSpec spec = f.spec(info.name()).orElseThrow();
            Tensor t = f.tensor(info.name());
            assertThat(t.shape()).isEqualTo(spec.shape());
            t.toFloatArray();
        }
    }

    private static byte[] mutate(byte[] seed, int seedHeader, SplittableRandom r) {
        byte[] b = seed.clone();
        int rounds = 1 + r.nextInt(3);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            int headerEnd = Math.min(b.length, seedHeader);
            switch (r.nextInt(6)) {
                case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                case 1 -> b[r.nextInt(Math.max(1, headerEnd))] = (byte) r.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 3 -> b = Arrays.copyOf(b, b.length + 1 + r.nextInt(64));
                default -> { // a length, count, type or offset field rewritten
                    if (headerEnd >= 8) {
                        int at = r.nextInt(headerEnd - 7);
                        long v = switch (r.nextInt(5)) {
                            case 0 -> r.nextLong();
                            case 1 -> r.nextInt(64);
                            case 2 -> -1L;
                            case 3 -> 1L << r.nextInt(63);
                            default -> r.nextInt(40);
                        };
                        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
                    }
                }
            }
        }
        return b;
    }

    /** Where a seed's data starts: its header's padded length. */
    private static int headerLength(byte[] seed) {
        try {
            Path p = Files.createTempFile("seed", ".gguf");
            try {
                Files.write(p, seed);
                try (GgufFile f = GgufFile.open(p)) {
                    return (int) f.header().dataStart();
                }
            } finally {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
