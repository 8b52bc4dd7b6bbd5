package dev.graft.formats.tensor;

import dev.graft.formats.dtype.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ReleaseBehindTest {
    private static final int ELEMENTS = (int) (ReleaseBehind.MIN_BYTES / Float.BYTES);

    /** A float32 file of {@code n} elements, element {@code i} holding {@code i}. */
    private static Path floats(Path dir, int n) throws IOException {
        Path file = dir.resolve("t.bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                if (!b.hasRemaining()) {
                    ch.write(b.flip());
                    b.clear();
                }
                b.putFloat(i);
            }
            ch.write(b.flip());
        }
        return file;
    }

    private static Tensor mapped(Path file, int n, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, 0, (long) n * Float.BYTES, arena);
            return new Tensor(new TensorSpec("t", DType.F32, Shape.of(n)), data);
        }
    }

    /** This process's resident file-backed memory, in kB ({@code RssFile} of /proc/self/status). */
    private static long rssFileKb() throws IOException {
        Matcher m = Pattern.compile("(?m)^RssFile:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/self/status")));
        assumeTrue(m.find(), "no RssFile in /proc/self/status");
        return Long.parseLong(m.group(1));
    }

    @Test
    void aPassOverALargeMappedTensorLeavesItsPagesBehindAndReadsTheSameValuesAgain(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
        Path file = floats(dir, ELEMENTS);
        try (Arena arena = Arena.ofConfined()) {
            Tensor t = mapped(file, ELEMENTS, arena);
            ReleaseBehind read = new ReleaseBehind(t);
            assertThat(read.active()).isTrue();
            float[] chunk = new float[1 << 16];
            long before = rssFileKb();
            long peak = before;
            double sum = 0;
            for (int first = 0; first < ELEMENTS; first += chunk.length) {
                t.readFloats(first, chunk, 0, chunk.length);
                sum += chunk[chunk.length - 1];
                read.readUpTo(first + chunk.length);
                peak = Math.max(peak, rssFileKb());
            }
            // 64 MiB touched in all, at most a step and a chunk of it resident at once.
            assertThat(peak - before).isLessThan((ReleaseBehind.STEP_BYTES + (2L << 20)) / 1024 + 4096);
            assertThat(sum).isPositive();
            // A second pass maps the pages again: the same values.
            read.restart();
            for (int first = 0; first < ELEMENTS; first += chunk.length) {
                t.readFloats(first, chunk, 0, chunk.length);
                assertThat(chunk[0]).isEqualTo((float) first);
                assertThat(chunk[chunk.length - 1]).isEqualTo((float) (first + chunk.length - 1));
                read.readUpTo(first + chunk.length);
            }
        }
    }

    @Test
    void smallMappedTensorsAndTensorsInMemoryAreLeftAlone(@TempDir Path dir) throws IOException {
        Path file = floats(dir, 1000);
        try (Arena arena = Arena.ofConfined()) {
            Tensor small = mapped(file, 1000, arena);
            ReleaseBehind read = new ReleaseBehind(small);
            assertThat(read.active()).isFalse();
            read.readUpTo(1000);
            assertThat(small.getFloat(999)).isEqualTo(999f);
        }
        MemorySegment heap = MemorySegment.ofArray(new float[ELEMENTS]);
        heap.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, ELEMENTS - 1, 7f);
        Tensor inMemory = new Tensor(new TensorSpec("h", DType.F32, Shape.of(ELEMENTS)), heap);
        ReleaseBehind read = new ReleaseBehind(inMemory);
        assertThat(read.active()).isFalse();
        read.readUpTo(ELEMENTS);
        assertThat(inMemory.getFloat(ELEMENTS - 1)).isEqualTo(7f);
    }

    @Test
    void bytesHandsOverEveryByteInStepsWhateverTheElementType(@TempDir Path dir) throws IOException {
        // A large mapped float32 tensor: 4 full steps; and a packed F4 tensor (two elements per byte) in memory.
        Path file = floats(dir, ELEMENTS);
        try (Arena arena = Arena.ofConfined()) {
            Tensor t = mapped(file, ELEMENTS, arena);
            long[] seen = {0, 0};
            ReleaseBehind.bytes(t, slice -> {
                assertThat(slice.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0)).isEqualTo((float) (seen[0] / Float.BYTES));
                seen[0] += slice.byteSize();
                seen[1]++;
            });
            assertThat(seen).containsExactly(ReleaseBehind.MIN_BYTES, ReleaseBehind.MIN_BYTES / ReleaseBehind.STEP_BYTES);
        }
        byte[] packed = {1, 2, 3, 4, 5};
        Tensor f4 = new Tensor(new TensorSpec("p", DType.F4, Shape.of(10)), MemorySegment.ofArray(packed));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ReleaseBehind.bytes(f4, slice -> out.writeBytes(slice.toArray(ValueLayout.JAVA_BYTE)));
        assertThat(out.toByteArray()).containsExactly(packed);
        new ReleaseBehind(f4).readUpTo(10);
    }
}
