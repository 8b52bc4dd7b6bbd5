package dev.graft.formats.dtype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FloatCodecsTest {

    /** Every codec counts the NaN and infinite values it decodes: its own pass (bf16) or the default one. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "F64"})
    void decodingCountsTheNonFiniteValues(DType dtype) {
        float[] values = {1f, Float.NaN, -2.5f, Float.POSITIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY, 3f};
        FloatCodec codec = FloatCodec.of(dtype);
        MemorySegment bytes = MemorySegment.ofArray(new byte[values.length * dtype.byteSize()]);
        codec.encode(values, 0, values.length, bytes, 0);
        float[] back = new float[values.length];
        assertThat(codec.decodeCountingNonFinite(bytes, 0, back, 0, values.length)).isEqualTo(3);
        assertThat(codec.decodeCountingNonFinite(bytes, 0, back, 0, 1)).isZero();
        assertThat(codec.decodeCountingNonFinite(bytes, 2L * dtype.byteSize(), back, 2, 2)).isEqualTo(1);
        assertThat(back).containsExactly(1f, Float.NaN, -2.5f, Float.POSITIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY,
                3f);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class,
            names = {"F4", "F6_E2M3", "F6_E3M2", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "C64"})
    void rawDtypesHaveNoCodec(DType dtype) {
        assertThat(dtype.kind()).isEqualTo(DType.Kind.RAW);
        assertThatThrownBy(() -> FloatCodec.of(dtype))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining(dtype.name())
                .hasMessageContaining("raw bytes only");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeWithACodecGetsOneForItself(DType dtype) {
        if (dtype.hasFloatCodec()) {
            FloatCodec codec = FloatCodec.of(dtype);
            assertThat(codec.dtype()).isEqualTo(dtype);
            assertThat(FloatCodec.of(dtype)).as("codecs are shared").isSameAs(codec);
        }
    }

    @Test
    void theRawSetIsExactlyTheDtypesWithoutACodec() {
        EnumSet<DType> raw = EnumSet.noneOf(DType.class);
        for (DType d : DType.values()) {
            if (d.kind() == DType.Kind.RAW) {
                raw.add(d);
            }
        }
        assertThat(raw).containsExactlyInAnyOrder(DType.F4, DType.F6_E2M3, DType.F6_E3M2, DType.F8_E8M0,
                DType.F8_E4M3FNUZ, DType.F8_E5M2FNUZ, DType.C64);
    }

    @Test
    void nullDtypeIsRejected() {
        assertThatThrownBy(() -> FloatCodec.of(null)).isInstanceOf(NullPointerException.class);
    }
}
