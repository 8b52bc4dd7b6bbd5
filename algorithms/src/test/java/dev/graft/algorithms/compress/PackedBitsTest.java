package dev.graft.algorithms.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PackedBitsTest {

    @Test
    void packsSignsLeastSignificantBitFirstWithZerosPositive() {
        float[] v = {1, -2, 0, -0f, Float.NaN, -1e-30f, 3, 4, /* byte 2 */ -1, 5};
        byte[] out = new byte[2];
        PackedBits.packSigns(v, v.length, out, 0);
        // bits 0..7: 1 0 1 1 0 0 1 1 -> 0b11001101; bits 8,9: 0 1 -> 0b10
        assertThat(out).containsExactly((byte) 0b1100_1101, (byte) 0b10);
    }

    @Test
    void unpackingReturnsExactlyTheSignsPackedAtAnyByteAlignedOffset() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 1003;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        byte[] packed = new byte[PackedBits.bytesFor(n + 64)];
        PackedBits.packSigns(v, 500, packed, 64);
        float[] rest = java.util.Arrays.copyOfRange(v, 500, n);
        PackedBits.packSigns(rest, rest.length, packed, 64 + 500 - 4);
        for (int i = 0; i < 496; i++) {
            assertThat(PackedBits.get(packed, 64 + i)).isEqualTo(v[i] >= 0);
            assertThat(PackedBits.get(MemorySegment.ofArray(packed), 64 + i)).isEqualTo(v[i] >= 0);
        }
        for (int i = 0; i < rest.length; i++) {
            assertThat(PackedBits.get(packed, 64 + 496 + i)).isEqualTo(rest[i] >= 0);
        }
    }

    @Test
    void refusesAnUnalignedStart() {
        assertThatThrownBy(() -> PackedBits.packSigns(new float[8], 8, new byte[2], 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not byte-aligned");
    }

    @Test
    void writerRoundTripsBitExactAcrossGrowth() {
        SplittableRandom r = new SplittableRandom(9);
        boolean[] bits = new boolean[10_007];
        PackedBits.Writer w = new PackedBits.Writer(3);
        for (int i = 0; i < bits.length; i++) {
            bits[i] = r.nextBoolean();
            w.add(bits[i]);
        }
        byte[] packed = w.toArray();
        assertThat(packed).hasSize(1251);
        assertThat(w.count()).isEqualTo(bits.length);
        for (int i = 0; i < bits.length; i++) {
            assertThat(PackedBits.get(packed, i)).isEqualTo(bits[i]);
        }
        // The padding bits of the last byte are zero, so equal bit strings give equal bytes.
        assertThat(packed[1250] & 0xFF & ~0x7F).isZero();
    }
}
