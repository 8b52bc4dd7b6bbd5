package dev.graft.formats.dtype;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class BoolAndF64CodecTest {

    @Test
    void boolReadsAnyNonZeroByteAsOne() {
        MemorySegment segment = MemorySegment.ofArray(new byte[] {9, 0, 1, (byte) 0x80, (byte) 0xFF, 2});
        float[] out = new float[5];
        FloatCodec.of(DType.BOOL).decode(segment, 1, out, 0, 5);
        assertThat(out).containsExactly(0f, 1f, 1f, 1f, 1f);
    }

    @Test
    void boolWritesOneForEverythingButZeroNanIncluded() {
        float[] in = {0f, -0f, 1f, -1f, 0.001f, Float.MIN_VALUE, Float.NaN, Float.NEGATIVE_INFINITY};
        MemorySegment segment = MemorySegment.ofArray(new byte[in.length + 1]);
        FloatCodec.of(DType.BOOL).encode(in, 0, in.length, segment, 1);
        assertThat(segment.toArray(ValueLayout.JAVA_BYTE)).containsExactly(0, 0, 0, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void f64NarrowsWithRoundToNearestEven() {
        double[] in = {0.1, 1 + 0x1p-24, 1 + 0x1.8p-23, 1 + 0x1p-24 + 0x1p-50, 1e300, -1e300, 1e-50, -0.0,
                Double.NaN, 0x1p-149, 0x1p-150, 0x1.8p-149};
        float[] expected = {0.1f, 1f, 1 + 0x1p-22f, 1 + 0x1p-23f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                0f, -0f, Float.NaN, Float.MIN_VALUE, 0f, 2 * Float.MIN_VALUE};
        MemorySegment segment = MemorySegment.ofArray(new byte[1 + 8 * in.length]);
        for (int i = 0; i < in.length; i++) {
            segment.set(LittleEndian.DOUBLE, 1 + 8L * i, in[i]);
        }
        float[] out = new float[in.length];
        FloatCodec.of(DType.F64).decode(segment, 1, out, 0, in.length);
        assertThat(out).containsExactly(expected);
        assertThat(Float.floatToRawIntBits(out[7])).isEqualTo(0x8000_0000);
    }

    @Test
    void f64WidensExactly() {
        float[] in = {0.1f, -0f, Float.MAX_VALUE, Float.MIN_VALUE, Float.NEGATIVE_INFINITY};
        MemorySegment segment = MemorySegment.ofArray(new byte[8 * in.length + 2]);
        FloatCodec.of(DType.F64).encode(in, 0, in.length, segment, 2);
        for (int i = 0; i < in.length; i++) {
            assertThat(Double.doubleToRawLongBits(segment.get(LittleEndian.DOUBLE, 2 + 8L * i)))
                    .isEqualTo(Double.doubleToRawLongBits(in[i]));
        }
        assertThat(segment.get(ValueLayout.JAVA_BYTE, 2 + 7)).as("little-endian: 0.1's sign/exponent byte last")
                .isEqualTo((byte) 0x3F);
    }
}
