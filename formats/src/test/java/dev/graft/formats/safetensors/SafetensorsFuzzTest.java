package dev.graft.formats.safetensors;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded mutation fuzzing of the reader over valid files: whatever the bytes, opening either succeeds (and then
 * every tensor reads in bounds) or fails with a {@link SafetensorsException}; it never throws anything else, never
 * hangs, and never allocates in proportion to sizes the file merely declares.
 */
class SafetensorsFuzzTest {
    private static final int ITERATIONS = 20_000;
    private static final int WARM_UP = 2_000;
    /** Parsing allocates a few copies of the header (bytes, chars, tokens); sizes the file declares must not count. */
    private static final long ALLOCATION_FACTOR = 24;
    private static final long ALLOCATION_SLACK = 256 * 1024;

    @TempDir
    Path dir;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private List<byte[]> seeds() throws IOException {
        List<byte[]> out = new ArrayList<>();
        List<TensorSpec> specs = new ArrayList<>();
        int i = 0;
        for (DType d : DType.values()) {
            specs.add(new TensorSpec("layer." + (i++) + "." + d, d, d.bits() % 8 == 0 ? Shape.of(2, 3) : Shape.of(2, 4)));
        }
        specs.add(new TensorSpec("empty", DType.F32, Shape.of(0, 5)));
        specs.add(new TensorSpec("scalar", DType.BF16, Shape.of()));
        out.add(writeSeed("all", specs));
        out.add(writeSeed("one", List.of(new TensorSpec("w", DType.F16, Shape.of(3)))));
        out.add(writeSeed("none", List.of()));
        return out;
    }

    private byte[] writeSeed(String name, List<TensorSpec> specs) throws IOException {
        Path p = dir.resolve(name + ".safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(p, specs, SafetensorsWriter.PT_METADATA, false)) {
            SplittableRandom r = new SplittableRandom(7);
            for (TensorSpec s : specs) {
                byte[] data = new byte[(int) s.byteSize()];
                for (int k = 0; k < data.length; k++) {
                    data[k] = (byte) r.nextInt(256);
                }
                try (var sink = w.sink(s.name())) {
                    sink.writeBytes(java.lang.foreign.MemorySegment.ofArray(data));
                }
            }
            w.commit();
        }
        return Files.readAllBytes(p);
    }

    @Test
    @Timeout(120)
    void mutatedFilesFailOnlyWithSafetensorsExceptions() throws IOException {
        List<byte[]> seeds = seeds();
        SplittableRandom rnd = new SplittableRandom(20261122);
        Path target = dir.resolve("fuzz.safetensors");
        Map<SafetensorsError, Integer> seen = new EnumMap<>(SafetensorsError.class);
        int accepted = 0;
        for (int it = -WARM_UP; it < ITERATIONS; it++) {
            byte[] input = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            Files.write(target, input);
            long before = threads.getCurrentThreadAllocatedBytes();
            try (SafetensorsFile f = SafetensorsFile.open(target)) {
                accepted++;
                readEverything(f);
            } catch (SafetensorsException e) {
                seen.merge(e.error(), 1, Integer::sum);
                assertThat(e.getMessage()).startsWith(target + ": ").doesNotContain("\n");
            } catch (Throwable t) {
                throw new AssertionError("iteration " + it + ": unexpected " + t + " for input "
                        + RawFiles.hex(input.length > 512 ? java.util.Arrays.copyOf(input, 512) : input), t);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (it < 0) {
                continue; // class loading and first-use initialisation are not the input's doing
            }
            assertThat(allocated).as("bytes allocated opening a %d-byte file (iteration %d)", input.length, it)
                    .isLessThan(ALLOCATION_FACTOR * input.length + ALLOCATION_SLACK);
        }
        // The mutations must reach deep checks, not just the length prefix.
        assertThat(seen.keySet()).contains(SafetensorsError.HEADER_TOO_SMALL, SafetensorsError.HEADER_TOO_LARGE,
                SafetensorsError.INVALID_HEADER_LENGTH, SafetensorsError.INVALID_JSON, SafetensorsError.INVALID_OFFSET,
                SafetensorsError.TENSOR_INVALID_INFO, SafetensorsError.METADATA_INCOMPLETE_BUFFER,
                SafetensorsError.UNKNOWN_DTYPE, SafetensorsError.INVALID_UTF8, SafetensorsError.DUPLICATE_KEY);
        assertThat(accepted).isGreaterThan(ITERATIONS / 50);
    }

    private static void readEverything(SafetensorsFile f) {
        float[] window = new float[64];
        for (TensorInfo info : f.tensors()) {
            Tensor t = f.view(info);
            assertThat(t.data().byteSize()).isEqualTo(info.byteSize());
            if (info.dtype().hasFloatCodec()) {
                for (long first = 0; first < t.elementCount(); first += window.length) {
                    int n = (int) Math.min(window.length, t.elementCount() - first);
                    t.readFloats(first, window, 0, n);
                }
            } else if (info.byteSize() > 0) {
                t.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, info.byteSize() - 1);
            }
        }
    }

    private static final String[] TOKENS = {"0", "1", "-1", "18446744073709551615", "99999999999999999999999", "1.5",
            "null", "[]", "{}", "\"F32\"", "\"BF16\"", "\"F4\"", "\"X9\"", "\"__metadata__\"", ",", ":", "\"", "\\", "[",
            "]", "{", "}", "\u00ff", "\t", "4611686018427387904", "[0,0]", "[1,2,3]", "\"shape\"", "\"data_offsets\"",
            "\"dtype\""};

    private static byte[] mutate(byte[] seed, SplittableRandom r) {
        byte[] b = seed.clone();
        int rounds = 1 + r.nextInt(3);
        for (int k = 0; k < rounds; k++) {
            int headerEnd = headerEnd(b);
            switch (r.nextInt(9)) {
                case 0 -> { // flip a byte anywhere
                    if (b.length > 0) {
                        b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                    }
                }
                case 1 -> { // flip a byte in the header
                    if (headerEnd > 8) {
                        b[8 + r.nextInt(headerEnd - 8)] = (byte) r.nextInt(256);
                    }
                }
                case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncate
                case 3 -> b = java.util.Arrays.copyOf(b, b.length + 1 + r.nextInt(64)); // extend with zeros
                case 4 -> { // rewrite the length prefix
                    if (b.length >= 8) {
                        long v = switch (r.nextInt(4)) {
                            case 0 -> r.nextLong();
                            case 1 -> b.length - 8 + r.nextInt(-8, 9);
                            case 2 -> 100_000_001L;
                            default -> r.nextInt(64);
                        };
                        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, v);
                    }
                }
                default -> b = replaceToken(b, headerEnd, r); // JSON-aware edits keep the prefix consistent
            }
        }
        return b;
    }

    /** End of the declared header, clamped to the file; 0 when there is no complete length prefix. */
    private static int headerEnd(byte[] b) {
        if (b.length < 8) {
            return 0;
        }
        long n = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        return n < 0 || n > b.length - 8 ? b.length : 8 + (int) n;
    }

    /** Replaces a digit run, string or punctuation in the header by another token and fixes the length prefix. */
    private static byte[] replaceToken(byte[] b, int headerEnd, SplittableRandom r) {
        if (headerEnd <= 8 || b.length < headerEnd) {
            return b;
        }
        String header = new String(b, 8, headerEnd - 8, StandardCharsets.ISO_8859_1);
        int at = r.nextInt(header.length());
        int end = at + 1;
        while (end < header.length() && Character.isLetterOrDigit(header.charAt(end)) == Character.isLetterOrDigit(header.charAt(at))
                && end - at < 24) {
            end++;
        }
        String repl = r.nextInt(6) == 0 ? header.substring(Math.max(0, at - 40), at) : TOKENS[r.nextInt(TOKENS.length)];
        byte[] replBytes = repl.getBytes(StandardCharsets.UTF_8);
        String before = header.substring(0, at);
        String after = header.substring(end);
        byte[] nh = concat(before.getBytes(StandardCharsets.ISO_8859_1), replBytes, after.getBytes(StandardCharsets.ISO_8859_1));
        byte[] data = java.util.Arrays.copyOfRange(b, headerEnd, b.length);
        return RawFiles.file(nh, data);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
