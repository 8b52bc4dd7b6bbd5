package dev.graft.algorithms.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodePackingTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void unpacksExactlyTheCodesPacked(int bits) {
        SplittableRandom r = new SplittableRandom(bits);
        int n = 1001;
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            codes[i] = r.nextInt(1 << bits);
        }
        byte[] packed = CodePacking.pack(codes, n, bits);
        assertThat(packed).hasSize((n * bits + 7) / 8);
        MemorySegment seg = MemorySegment.ofArray(packed);
        for (int i = 0; i < n; i++) {
            assertThat(CodePacking.get(seg, i, bits)).isEqualTo(codes[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8})
    void oneAndEightBitCodesAreBitsAndBytes(int bits) {
        int[] codes = bits == 1 ? new int[] {1, 0, 1, 1, 0, 0, 0, 1, 1} : new int[] {0x12, 0xFE};
        byte[] packed = CodePacking.pack(codes, codes.length, bits);
        assertThat(packed).containsExactly(bits == 1 ? new byte[] {(byte) 0b1000_1101, 1} : new byte[] {0x12, (byte) 0xFE});
    }
}
