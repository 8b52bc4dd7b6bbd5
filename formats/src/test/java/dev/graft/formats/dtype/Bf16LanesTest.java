package dev.graft.formats.dtype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.graft.formats.simd.VectorWork;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vector widening against the scalar conversion: every bf16 pattern, at every start within a vector and with
 * every tail length, into arrays at an offset; and its count of the non-finite patterns.
 */
class Bf16LanesTest {

    @BeforeAll
    static void vectorsHere() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && Bf16Lanes.usable(),
                "no incubator module or no 256-bit vectors: Bf16Codec keeps its scalar loop");
    }

    @Test
    void widensEveryPatternToTheUpperHalfOfItsFloatAndCountsTheNonFiniteOnes() {
        short[] bits = new short[0x10000];
        for (int b = 0; b < bits.length; b++) {
            bits[b] = (short) b;
        }
        float[] dst = new float[bits.length + 3];
        dst[2] = -7f;
        dst[dst.length - 1] = -7f;
        // Exponent bits all set: 2 signs × 128 mantissas (±Inf and every NaN).
        assertThat(Bf16Lanes.widenCountingNonFinite(bits, bits.length, dst, 3)).isEqualTo(256);
        assertThat(dst[2]).isEqualTo(-7f);
        for (int b = 0; b < bits.length; b++) {
            if (Float.floatToRawIntBits(dst[3 + b]) != b << 16) {
                assertThat(Integer.toHexString(Float.floatToRawIntBits(dst[3 + b])))
                        .as("bf16 0x%04X", b).isEqualTo(Integer.toHexString(b << 16));
            }
        }
    }

    @Test
    void everyLengthUpToFourVectorsWidensAndCountsLikeTheScalarLoop() {
        short[] patterns = {0x3F80, (short) 0x7F80, (short) 0xFFC1, 0x0001, (short) 0x8000, 0x7FC0, 0x4049,
                (short) 0xFF80, 0x0080, (short) 0xBF80, 0x7F7F, (short) 0x8001, 0x1234, (short) 0xFFFF, 0x0000,
                0x7FFF, 0x4000, (short) 0xC000, 0x3C00};
        short[] bits = new short[64 + 7];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = patterns[(i * 7) % patterns.length];
        }
        for (int n = 0; n <= 64 + 7; n++) {
            float[] vector = new float[n + 5];
            float[] scalar = new float[n + 5];
            int counted = Bf16Lanes.widenCountingNonFinite(bits, n, vector, 5);
            int expected = 0;
            for (int i = 0; i < n; i++) {
                scalar[5 + i] = Bf16.toFloat(bits[i]);
                expected += Float.isFinite(scalar[5 + i]) ? 0 : 1;
            }
            assertThat(counted).as("n = %d", n).isEqualTo(expected);
            for (int i = 0; i < n + 5; i++) {
                assertThat(Float.floatToRawIntBits(vector[i])).as("n = %d, element %d", n, i)
                        .isEqualTo(Float.floatToRawIntBits(scalar[i]));
            }
        }
    }

    @Test
    void theCodecTakesTheVectorLoopWhenTheWorkIsWorthItAndDecodesAlike() {
        // The build sets graft.simd.work=0: the work is worth the vector loop from the start.
        assumeTrue(VectorWork.worthIt(), "graft.simd.work is not 0");
        assertThat(WideningSwitch.vector()).isTrue();
        MemorySegment src = MemorySegment.ofArray(new short[0x10000]);
        for (int b = 0; b < 0x10000; b++) {
            src.set(LittleEndian.SHORT, 2L * b, (short) b);
        }
        float[] dst = new float[0x10000];
        java.util.Arrays.fill(dst, -7f);
        assertThat(Bf16Codec.INSTANCE.decodeCountingNonFinite(src, 0, dst, 0, dst.length)).isEqualTo(256);
        for (int b = 0; b < dst.length; b++) {
            assertThat(Float.floatToRawIntBits(dst[b])).as("bf16 0x%04X", b).isEqualTo(b << 16);
        }
    }
}
