package dev.graft.formats.dtype;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * The bf16 codec's runs against the scalar conversions, on every bf16 pattern, the rounding ties and NaNs, every
 * tail length, and the three kinds of segment a merge hands it (native, heap over {@code byte[]}, heap over other
 * arrays); and its count of non-finite values, made in the same pass as the decode.
 */
class Bf16CodecTest {

    /** Each of the three kinds of segment, with room for {@code bytes} bytes. */
    private static List<Function<Integer, MemorySegment>> segmentKinds(Arena arena) {
        return List.of(
                bytes -> arena.allocate(bytes),
                bytes -> MemorySegment.ofArray(new byte[bytes]),
                bytes -> MemorySegment.ofArray(new short[(bytes + 1) / 2]));
    }

    @Test
    void decodesEveryPatternAtEveryOffsetAndCountsTheNonFiniteOnes() {
        try (Arena arena = Arena.ofConfined()) {
            for (Function<Integer, MemorySegment> kind : segmentKinds(arena)) {
                // Byte offset 2 keeps a short[]-backed segment aligned; 1 and 3 only where the kind allows.
                MemorySegment src = kind.apply(2 * 0x10000 + 4);
                for (long offset : new long[] {0, 2}) {
                    for (int b = 0; b < 0x10000; b++) {
                        src.set(LittleEndian.SHORT, offset + 2L * b, (short) b);
                    }
                    float[] dst = new float[0x10000 + 2];
                    dst[0] = -7f;
                    dst[0x10001] = -7f;
                    int nonFinite = Bf16Codec.INSTANCE.decodeCountingNonFinite(src, offset, dst, 1, 0x10000);
                    // Exponent bits all set: 2 signs × 128 mantissas (±Inf and every NaN).
                    assertThat(nonFinite).as("%s at %d", src, offset).isEqualTo(256);
                    assertThat(dst[0]).isEqualTo(-7f);
                    assertThat(dst[0x10001]).isEqualTo(-7f);
                    for (int b = 0; b < 0x10000; b++) {
                        if (Float.floatToRawIntBits(dst[1 + b]) != b << 16) {
                            assertThat(Integer.toHexString(Float.floatToRawIntBits(dst[1 + b])))
                                    .as("bf16 0x%04X from %s", b, src).isEqualTo(Integer.toHexString(b << 16));
                        }
                    }
                }
            }
        }
    }

    @Test
    void decodesUnalignedNativeData() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(2 * 1000 + 3);
            for (int i = 0; i < 1000; i++) {
                src.set(LittleEndian.SHORT, 3 + 2L * i, (short) (i * 13 + 0x3F00));
            }
            float[] dst = new float[1000];
            assertThat(Bf16Codec.INSTANCE.decodeCountingNonFinite(src, 3, dst, 0, 1000)).isZero();
            for (int i = 0; i < 1000; i++) {
                assertThat(Float.floatToRawIntBits(dst[i])).isEqualTo((short) (i * 13 + 0x3F00) << 16);
            }
        }
    }

    @Test
    void everyTailLengthDecodesAndCountsLikeTheScalarConversion() {
        short[] patterns = {0x3F80, (short) 0x7F80, (short) 0xFFC1, 0x0001, (short) 0x8000, 0x7FC0, 0x4049,
                (short) 0xFF80, 0x0080, (short) 0xBF80, 0x7F7F, (short) 0x8001, 0x1234, (short) 0xFFFF, 0x0000,
                0x7FFF, 0x4000, (short) 0xC000, 0x3C00};
        try (Arena arena = Arena.ofConfined()) {
            for (Function<Integer, MemorySegment> kind : segmentKinds(arena)) {
                MemorySegment src = kind.apply(2 * patterns.length);
                MemorySegment.copy(patterns, 0, src, LittleEndian.SHORT, 0, patterns.length);
                for (int count = 0; count <= patterns.length; count++) {
                    float[] dst = new float[count];
                    int nonFinite = Bf16Codec.INSTANCE.decodeCountingNonFinite(src, 0, dst, 0, count);
                    int expectedNonFinite = 0;
                    for (int i = 0; i < count; i++) {
                        assertThat(Float.floatToRawIntBits(dst[i])).as("count %d element %d", count, i)
                                .isEqualTo(Float.floatToRawIntBits(Bf16.toFloat(patterns[i])));
                        expectedNonFinite += Float.isFinite(dst[i]) ? 0 : 1;
                    }
                    assertThat(nonFinite).as("count %d", count).isEqualTo(expectedNonFinite);
                }
            }
        }
    }

    @Test
    void encodesEveryPatternItsTiesAndTheirNeighboursLikeTheScalarConversion() {
        // For each bf16 pattern p: p itself, the halfway point to p + 1 (ties), its neighbours either side, and the
        // largest value that still rounds to p. NaN patterns give NaNs of every payload and sign.
        float[] values = new float[0x10000 * 6];
        for (int p = 0; p < 0x10000; p++) {
            int bits = p << 16;
            int[] lows = {0, 0x8000, 0x7FFF, 0x8001, 0xFFFF, 0x0001};
            for (int k = 0; k < lows.length; k++) {
                values[6 * p + k] = Float.intBitsToFloat(bits | lows[k]);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            for (Function<Integer, MemorySegment> kind : segmentKinds(arena)) {
                MemorySegment dst = kind.apply(2 * values.length);
                Bf16Codec.INSTANCE.encode(values, 0, values.length, dst, 0);
                List<String> wrong = new ArrayList<>();
                for (int i = 0; i < values.length && wrong.size() < 5; i++) {
                    short expected = Bf16.fromFloat(values[i]);
                    short actual = dst.get(LittleEndian.SHORT, 2L * i);
                    if (actual != expected) {
                        wrong.add(String.format("0x%08X: 0x%04X, not 0x%04X",
                                Float.floatToRawIntBits(values[i]), actual, expected));
                    }
                }
                assertThat(wrong).as("%s", dst).isEmpty();
            }
        }
    }

    @Test
    void encodesGoldenTiesNanAndOverflowToTheseBytes() {
        float[] values = {
                Float.intBitsToFloat(0x3F808000), // halfway: ties to the even 0x3F80
                Float.intBitsToFloat(0x3F818000), // halfway: ties to the even 0x3F82
                Float.intBitsToFloat(0x00018000), // subnormal tie, up to even
                Float.intBitsToFloat(0x7F7FFFFF), // MAX_VALUE overflows to +Inf
                Float.intBitsToFloat(0xFFFFFFFF), // negative NaN: canonical
                Float.intBitsToFloat(0x7F800001), // signalling NaN: canonical
                Float.NEGATIVE_INFINITY,
                -0f,
                1f};
        byte[] expected = {(byte) 0x80, 0x3F, (byte) 0x82, 0x3F, 0x02, 0x00, (byte) 0x80, 0x7F, (byte) 0xC0, 0x7F,
                (byte) 0xC0, 0x7F, (byte) 0x80, (byte) 0xFF, 0x00, (byte) 0x80, (byte) 0x80, 0x3F};
        try (Arena arena = Arena.ofConfined()) {
            for (Function<Integer, MemorySegment> kind : segmentKinds(arena)) {
                MemorySegment dst = kind.apply(2 * values.length + 2);
                dst.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x55);
                dst.set(ValueLayout.JAVA_BYTE, 1, (byte) 0x55);
                Bf16Codec.INSTANCE.encode(values, 0, values.length, dst, 2);
                assertThat(dst.asSlice(0, 2).toArray(ValueLayout.JAVA_BYTE)).containsExactly(0x55, 0x55);
                assertThat(dst.asSlice(2, expected.length).toArray(ValueLayout.JAVA_BYTE)).containsExactly(expected);
            }
        }
    }

    @Test
    void everyTailLengthEncodesAndWritesNothingPastTheCount() {
        float[] values = new float[19];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(0x3F808000 + (i << 16) + (i % 3));
        }
        try (Arena arena = Arena.ofConfined()) {
            for (Function<Integer, MemorySegment> kind : segmentKinds(arena)) {
                for (int count = 0; count <= values.length; count++) {
                    MemorySegment dst = kind.apply(2 * values.length);
                    dst.fill((byte) 0x55);
                    Bf16Codec.INSTANCE.encode(values, 0, count, dst, 0);
                    for (int i = 0; i < values.length; i++) {
                        short want = i < count ? Bf16.fromFloat(values[i]) : 0x5555;
                        assertThat(dst.get(LittleEndian.SHORT, 2L * i)).as("count %d element %d", count, i)
                                .isEqualTo(want);
                    }
                }
            }
        }
    }
}
