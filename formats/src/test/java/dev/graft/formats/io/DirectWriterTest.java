package dev.graft.formats.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes past the page cache: the committed file holds exactly what positional writes would have left. */
class DirectWriterTest {
    private static final int REGION = 64 << 10;

    @TempDir
    Path dir;

    @Test
    void piecesOfOddSizesInShuffledOrderFromTwoThreadsLandWhereTheyWereWritten() throws Exception {
        // 40 regions' worth through 3 buffers: most regions are passed on half-written, so both paths carry bytes.
        byte[] expected = pattern(40 * REGION - 1234, 1);
        List<long[]> pieces = pieces(expected.length, 5000, 42);
        Path target = dir.resolve("out.bin");
        AtomicFile file = direct(target, 3);
        assertThat(file.writesDirect()).isTrue();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int parity = t;
                parts.add(pool.submit(() -> {
                    for (int i = parity; i < pieces.size(); i += 2) {
                        long[] p = pieces.get(i);
                        file.writeAt(ByteBuffer.wrap(expected, (int) p[0], (int) p[1]), p[0]);
                    }
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        }
        file.commit();
        assertThat(Files.readAllBytes(target)).isEqualTo(expected);
        assertThat(dir.toFile().list()).containsExactly("out.bin");
    }

    @Test
    void regionsFilledInOrderGoOutWholeTheLastIsCutToTheFileLengthAndAnOverwriteStillLands() throws Exception {
        byte[] expected = pattern(5 * REGION + 77, 2);
        Path target = dir.resolve("seq.bin");
        AtomicFile file = direct(target, 24);
        for (int at = 0; at < expected.length; at += 10_000) {
            file.writeAt(ByteBuffer.wrap(expected, at, Math.min(10_000, expected.length - at)), at);
        }
        byte[] patch = pattern(3000, 14);
        System.arraycopy(patch, 0, expected, 40_000, patch.length);
        file.writeAt(ByteBuffer.wrap(patch), 40_000); // over the first region, complete and sent to disk
        file.commit();
        assertThat(Files.readAllBytes(target)).isEqualTo(expected);
    }

    @Test
    void laterWritesWinUnwrittenBytesReadAsZerosAndExtendToLengthensTheFile() throws Exception {
        Path target = dir.resolve("holes.bin");
        AtomicFile file = direct(target, 2);
        byte[] expected = new byte[3 * REGION + 500];
        write(file, expected, 10, pattern(REGION, 3));           // across the first two regions
        write(file, expected, 2 * REGION + 100, pattern(300, 4)); // a third region, mostly unwritten
        write(file, expected, 100, pattern(50, 5));              // over bytes written before
        write(file, expected, 3 * REGION - 5, pattern(10, 6));   // passes the first ones on: two buffers
        write(file, expected, 20, pattern(30, 7));               // into a region already passed on
        write(file, expected, REGION + 10, pattern(REGION - 10, 12)); // completes the second region
        write(file, expected, REGION + 5000, pattern(40, 13));   // over a region complete and sent to disk
        file.extendTo(expected.length);
        file.commit();
        assertThat(Files.readAllBytes(target)).isEqualTo(expected);
    }

    @Test
    void aFileOfPlannedLengthGivesItsBuffersBackOnceWrittenAndALaterWriteStillLands() throws Exception {
        byte[] expected = pattern(3 * REGION + 100, 10);
        Path path = dir.resolve("planned.bin");
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            DirectWriter writer = DirectWriter.open(path, channel, expected.length, REGION, 4);
            for (int at = expected.length; at > 0; ) { // back to front: the last region completes first
                int from = Math.max(0, at - 30_000);
                writer.write(ByteBuffer.wrap(expected, from, at - from), from);
                at = from;
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!writer.released() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(writer.released()).isTrue();
            byte[] patch = pattern(5000, 11);
            System.arraycopy(patch, 0, expected, REGION - 2000, patch.length);
            writer.write(ByteBuffer.wrap(patch), REGION - 2000);
            writer.finish();
            writer.close();
            channel.force(true);
        }
        assertThat(Files.readAllBytes(path)).isEqualTo(expected);
    }

    @Test
    void whereDirectWritesFailThePageCacheTakesEveryRegion() throws Exception {
        byte[] expected = pattern(7 * REGION + 3, 8);
        List<long[]> pieces = pieces(expected.length, 9000, 7);
        Path target = dir.resolve("refused.bin");
        AtomicFile file = AtomicFile.create(OutputClaim.file(target, false, List.of(), expected.length),
                AtomicFile.FLUSH_BYTES, temp -> {
                    try {
                        FileChannel refusing = FileChannel.open(temp.path(), StandardOpenOption.WRITE);
                        refusing.close(); // every write through it fails
                        return new DirectWriter(temp.path(), refusing, temp.channel(), 4096, REGION, 4, 0);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
        for (long[] p : pieces) {
            file.writeAt(ByteBuffer.wrap(expected, (int) p[0], (int) p[1]), p[0]);
        }
        file.commit();
        assertThat(Files.readAllBytes(target)).isEqualTo(expected);
    }

    @Test
    void anAbandonedFileLeavesNothingAndStopsItsThread() throws Exception {
        Path target = dir.resolve("gone.bin");
        AtomicFile file = direct(target, 4);
        file.writeAt(ByteBuffer.wrap(pattern(3 * REGION, 9)), 0);
        file.close();
        assertThatThrownBy(() -> file.writeAt(ByteBuffer.wrap(new byte[10]), 0))
                .isInstanceOf(FileAccessException.class).hasMessageContaining("was abandoned while being written");
        assertThat(dir.toFile().list()).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("graft-write"));
    }

    @Test
    void smallPlannedFilesAndFilesOfUnknownSizeAreWrittenThroughThePageCache() {
        AtomicFile small = AtomicFile.create(OutputClaim.file(dir.resolve("a"), false, List.of(), 0),
                AtomicFile.DIRECT_MIN_BYTES - 1);
        AtomicFile unknown = AtomicFile.create(dir.resolve("b"), false);
        AtomicFile large = AtomicFile.create(OutputClaim.file(dir.resolve("c"), false, List.of(), 0),
                AtomicFile.DIRECT_MIN_BYTES);
        try {
            assertThat(small.writesDirect()).isFalse();
            assertThat(unknown.writesDirect()).isFalse();
            assertThat(large.writesDirect()).isTrue(); // the temp folder is on a file system with O_DIRECT
            assertThatThrownBy(large::channel).isInstanceOf(IllegalStateException.class)
                    .hasMessageEndingWith("c is written through writeAt only");
        } finally {
            small.close();
            unknown.close();
            large.close();
        }
    }

    private AtomicFile direct(Path target, int buffers) {
        return AtomicFile.create(OutputClaim.file(target, false, List.of(), 0), AtomicFile.FLUSH_BYTES,
                temp -> DirectWriter.open(temp.path(), temp.channel(), 0, REGION, buffers));
    }

    private static void write(AtomicFile file, byte[] expected, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, expected, at, bytes.length);
        file.writeAt(ByteBuffer.wrap(bytes), at);
    }

    /** Consecutive pieces of 1 to {@code maxPiece} bytes covering {@code length}, shuffled: {offset, length}. */
    private static List<long[]> pieces(int length, int maxPiece, long seed) {
        Random random = new Random(seed);
        List<long[]> pieces = new ArrayList<>();
        for (int at = 0; at < length; ) {
            int n = Math.min(length - at, 1 + random.nextInt(maxPiece));
            pieces.add(new long[] {at, n});
            at += n;
        }
        Collections.shuffle(pieces, random);
        return pieces;
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }
}
