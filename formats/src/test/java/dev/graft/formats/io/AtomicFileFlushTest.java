package dev.graft.formats.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flushes behind the writers: they start as bytes accumulate and leave the published file as written. */
class AtomicFileFlushTest {

    @TempDir
    Path dir;

    @Test
    void writersFromTwoThreadsGetFlushedBehindAndTheCommittedFileHoldsEveryByte() throws Exception {
        Path target = dir.resolve("out.bin");
        int pieces = 256;
        int pieceBytes = 4096;
        AtomicFile file = AtomicFile.flushingEvery(OutputClaim.file(target, false, List.of(), (long) pieces * pieceBytes),
                16 * 4096);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<?> even = pool.submit(() -> writePieces(file, 0, pieces, pieceBytes));
            Future<?> odd = pool.submit(() -> writePieces(file, 1, pieces, pieceBytes));
            even.get();
            odd.get();
        }
        assertThat(file.commit()).isEqualTo(target);
        // 1 MiB in 16-piece steps: a flush can start at most every 64 KiB, and at least once.
        assertThat(file.flushesStarted()).isBetween(1, pieces / 16);
        byte[] written = Files.readAllBytes(target);
        assertThat(written).hasSize(pieces * pieceBytes);
        for (int p = 0; p < pieces; p++) {
            for (int b = 0; b < pieceBytes; b++) {
                if (written[p * pieceBytes + b] != pattern(p, b)) {
                    assertThat(written[p * pieceBytes + b]).as("piece %d byte %d", p, b).isEqualTo(pattern(p, b));
                }
            }
        }
        assertThat(dir.toFile().list()).containsExactly("out.bin");
    }

    @Test
    void aFileSmallerThanOneFlushStartsNone() {
        Path target = dir.resolve("small.bin");
        AtomicFile file = AtomicFile.create(OutputClaim.file(target, false, List.of(), 100));
        file.writeAt(ByteBuffer.wrap(new byte[100]), 0);
        file.commit();
        assertThat(file.flushesStarted()).isZero();
        assertThat(target).hasSize(100);
    }

    private static void writePieces(AtomicFile file, int parity, int pieces, int pieceBytes) {
        for (int p = parity; p < pieces; p += 2) {
            byte[] bytes = new byte[pieceBytes];
            for (int b = 0; b < pieceBytes; b++) {
                bytes[b] = pattern(p, b);
            }
            file.writeAt(ByteBuffer.wrap(bytes), (long) p * pieceBytes);
        }
    }

    private static byte pattern(int piece, int b) {
        return (byte) (piece * 31 + b * 7);
    }
}
