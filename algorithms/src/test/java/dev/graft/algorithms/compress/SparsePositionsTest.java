package dev.graft.algorithms.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SparsePositionsTest {

    @ParameterizedTest
    @CsvSource({"0.01, gaps", "0.05, gaps", "0.3, bitmap", "0.9, bitmap"})
    void roundTripsBothEncodingsAndPicksTheSmaller(double density, String expected) {
        SplittableRandom r = new SplittableRandom(5);
        long n = 100_000;
        List<Long> kept = new ArrayList<>();
        SparsePositions.Encoder enc = new SparsePositions.Encoder(n);
        for (long i = 0; i < n; i++) {
            if (r.nextDouble() < density) {
                kept.add(i);
                enc.add(i);
            }
        }
        assertThat(enc.encoding()).isEqualTo(expected);
        assertThat(readAll(enc.encoding(), enc.bytes(), n)).isEqualTo(kept);
        String other = expected.equals("gaps") ? "bitmap" : "gaps";
        assertThat(readAll(other, otherBytes(other, kept, n), n)).isEqualTo(kept);
    }

    @Test
    void encodesLargeGapsAsMultiByteVarints() {
        SparsePositions.Encoder enc = new SparsePositions.Encoder(100_000);
        enc.add(0);
        enc.add(128);          // gap 127: one byte
        enc.add(128 + 1 + 300); // gap 300: 0xAC 0x02
        assertThat(enc.encoding()).isEqualTo("gaps");
        assertThat(enc.bytes()).containsExactly(0, 127, (byte) 0xAC, 0x02);
        assertThat(readAll("gaps", enc.bytes(), 100_000)).containsExactly(0L, 128L, 429L);
    }

    @Test
    void rejectsPositionsPastTheTensorAndTruncatedVarints() {
        SparsePositions.Reader past = new SparsePositions.Reader("gaps", new byte[] {5}, 3);
        assertThatThrownBy(past::next).hasMessageContaining("past the 3 elements");
        SparsePositions.Reader cut = new SparsePositions.Reader("gaps", new byte[] {(byte) 0x80}, 99);
        assertThatThrownBy(cut::next).hasMessageContaining("truncated");
        assertThatThrownBy(() -> new SparsePositions.Reader("rle", new byte[0], 1))
                .hasMessageContaining("unknown position encoding");
    }

    private static byte[] otherBytes(String encoding, List<Long> kept, long n) {
        if (encoding.equals("bitmap")) {
            byte[] b = new byte[PackedBits.bytesFor(n)];
            kept.forEach(i -> b[(int) (i >>> 3)] |= (byte) (1 << (int) (i & 7)));
            return b;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long prev = -1;
        for (long i : kept) {
            long gap = i - prev - 1;
            while (gap >= 0x80) {
                out.write((int) (gap & 0x7F) | 0x80);
                gap >>>= 7;
            }
            out.write((int) gap);
            prev = i;
        }
        return out.toByteArray();
    }

    private static List<Long> readAll(String encoding, byte[] bytes, long n) {
        SparsePositions.Reader r = new SparsePositions.Reader(encoding, bytes, n);
        List<Long> out = new ArrayList<>();
        for (long i = r.next(); i >= 0; i = r.next()) {
            out.add(i);
        }
        return out;
    }
}
