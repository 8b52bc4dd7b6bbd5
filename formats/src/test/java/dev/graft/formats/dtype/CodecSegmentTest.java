package dev.graft.formats.dtype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Segment handling common to every codec: offsets, byte order, counts, bounds, and agreement with the scalars. */
class CodecSegmentTest {

    static Stream<DType> codecDtypes() {
        return Arrays.stream(DType.values()).filter(DType::hasFloatCodec);
    }

    /** Random bytes at odd offsets in both a native and a heap segment decode element by element as expected. */
    @ParameterizedTest
    @MethodSource("codecDtypes")
    void decodesAtOddOffsetsLikeTheScalarConversion(DType dtype) {
        int size = dtype.byteSize();
        int count = 1000;
        byte[] bytes = new byte[count * size + 7];
        new SplittableRandom(dtype.ordinal()).nextBytes(bytes);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeSegment = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, nativeSegment, ValueLayout.JAVA_BYTE, 0, bytes.length);
            for (MemorySegment segment : new MemorySegment[] {nativeSegment, MemorySegment.ofArray(bytes)}) {
                for (long offset : new long[] {0, 1, 3, 7}) {
                    float[] out = new float[count + 5];
                    Arrays.fill(out, -7f);
                    FloatCodec.of(dtype).decode(segment, offset, out, 3, count);
                    assertThat(out[0]).isEqualTo(-7f);
                    assertThat(out[2]).isEqualTo(-7f);
                    assertThat(out[count + 3]).isEqualTo(-7f);
                    for (int i = 0; i < count; i++) {
                        float expected = scalarDecode(dtype, bytes, (int) offset + i * size);
                        assertThat(Float.floatToRawIntBits(out[3 + i]))
                                .as("%s element %d at offset %d", dtype, i, offset)
                                .isEqualTo(Float.floatToRawIntBits(expected));
                    }
                }
            }
        }
    }

    /** Encoding writes exactly the element's little-endian bytes, and nothing around them. */
    @ParameterizedTest
    @MethodSource("codecDtypes")
    void encodesAtOddOffsetsLikeTheScalarConversion(DType dtype) {
        int size = dtype.byteSize();
        float[] values = interestingFloats(dtype);
        try (Arena arena = Arena.ofConfined()) {
            for (long offset : new long[] {0, 1, 5}) {
                MemorySegment segment = arena.allocate(values.length * (long) size + 16);
                segment.fill((byte) 0x5A);
                FloatCodec.of(dtype).encode(values, 2, values.length - 2, segment, offset);
                byte[] written = segment.toArray(ValueLayout.JAVA_BYTE);
                for (int i = 0; i < offset; i++) {
                    assertThat(written[i]).isEqualTo((byte) 0x5A);
                }
                for (int i = 2; i < values.length; i++) {
                    byte[] expected = scalarEncode(dtype, values[i]);
                    int at = (int) offset + (i - 2) * size;
                    assertThat(Arrays.copyOfRange(written, at, at + size))
                            .as("%s of %s at offset %d", dtype, values[i], offset).containsExactly(expected);
                }
                int end = (int) offset + (values.length - 2) * size;
                for (int i = end; i < written.length; i++) {
                    assertThat(written[i]).isEqualTo((byte) 0x5A);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("codecDtypes")
    void countZeroTouchesNothingEvenAtTheVeryEnd(DType dtype) {
        MemorySegment segment = MemorySegment.ofArray(new byte[8]);
        float[] array = {1f, 2f};
        FloatCodec codec = FloatCodec.of(dtype);
        codec.decode(segment, 8, array, 2, 0);
        codec.encode(array, 2, 0, segment, 8);
        codec.decode(segment, 0, new float[0], 0, 0);
        assertThat(array).containsExactly(1f, 2f);
        assertThat(segment.toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0);
    }

    @ParameterizedTest
    @MethodSource("codecDtypes")
    void outOfRangeCallsFailBeforeWritingAnything(DType dtype) {
        int size = dtype.byteSize();
        FloatCodec codec = FloatCodec.of(dtype);
        MemorySegment segment = MemorySegment.ofArray(new byte[4 * size]);
        float[] array = new float[4];
        Arrays.fill(array, 1f);
        // One element past the segment's end.
        assertThatThrownBy(() -> codec.decode(segment, 1, array, 0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> codec.encode(array, 0, 4, segment, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        // Past the array's end, before the segment's.
        assertThatThrownBy(() -> codec.decode(segment, 0, array, 1, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> codec.encode(array, 1, 4, segment, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> codec.decode(segment, -1, array, 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> codec.decode(segment, 0, array, 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(array).containsOnly(1f);
        assertThat(segment.toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0);
    }

    @Test
    void bf16IsLittleEndian() {
        MemorySegment segment = MemorySegment.ofArray(new byte[5]);
        FloatCodec.of(DType.BF16).encode(new float[] {1f, -2f}, 0, 2, segment, 1);
        assertThat(segment.toArray(ValueLayout.JAVA_BYTE))
                .containsExactly(0, 0x80, 0x3F, 0x00, (byte) 0xC0);
    }

    @Test
    void f32CopiesBitsUnchangedNanPayloadsIncluded() {
        float[] values = {Float.intBitsToFloat(0x7F80_0001), Float.intBitsToFloat(0xFFC1_2345), -0f, Float.MIN_VALUE};
        MemorySegment segment = MemorySegment.ofArray(new byte[3 + 16]);
        FloatCodec codec = FloatCodec.of(DType.F32);
        codec.encode(values, 0, 4, segment, 3);
        assertThat(segment.get(ValueLayout.JAVA_BYTE, 3)).isEqualTo((byte) 0x01);
        assertThat(segment.get(ValueLayout.JAVA_BYTE, 6)).isEqualTo((byte) 0x7F);
        float[] back = new float[4];
        codec.decode(segment, 3, back, 0, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(Float.floatToRawIntBits(back[i])).isEqualTo(Float.floatToRawIntBits(values[i]));
        }
    }

    /** The property a streaming reader relies on: rewriting what it read leaves a bf16 tensor byte-identical. */
    @Test
    void bf16EncodeOfDecodeIsTheIdentityOnRandomTensors() {
        SplittableRandom random = new SplittableRandom(42);
        FloatCodec codec = FloatCodec.of(DType.BF16);
        try (Arena arena = Arena.ofConfined()) {
            for (int round = 0; round < 20; round++) {
                int count = random.nextInt(1, 5000);
                long offset = random.nextInt(0, 8);
                MemorySegment original = arena.allocate(offset + 2L * count);
                for (int i = 0; i < count; i++) {
                    short bits;
                    do {
                        bits = (short) random.nextInt(0x10000);
                    } while (ReferenceFormat.BF16.isNaN(bits & 0xFFFF)); // NaNs canonicalise; tested elsewhere
                    original.set(LittleEndian.SHORT, offset + 2L * i, bits);
                }
                float[] window = new float[count];
                codec.decode(original, offset, window, 0, count);
                MemorySegment copy = arena.allocate(offset + 2L * count);
                codec.encode(window, 0, count, copy, offset);
                assertThat(copy.asSlice(offset).mismatch(original.asSlice(offset))).isEqualTo(-1L);
            }
        }
    }

    @Test
    void bf16NansCanonicaliseThroughTheCodec() {
        MemorySegment segment = MemorySegment.ofArray(new byte[8]);
        short[] codes = {(short) 0xFFC1, 0x7F81, 0x7FFF, (short) 0xFF80};
        for (int i = 0; i < codes.length; i++) {
            segment.set(LittleEndian.SHORT, 2L * i, codes[i]);
        }
        float[] values = new float[4];
        FloatCodec codec = FloatCodec.of(DType.BF16);
        codec.decode(segment, 0, values, 0, 4);
        codec.encode(values, 0, 4, segment, 0);
        assertThat(segment.toArray(ValueLayout.JAVA_BYTE))
                .containsExactly(0xC0, 0x7F, 0xC0, 0x7F, 0xC0, 0x7F, 0x80, 0xFF);
    }

    /** The F16 and FP8 paths round trip every finite code through a segment, exercising their loop bodies fully. */
    @Test
    void everyNonNanCodeRoundTripsThroughTheNarrowCodecs() {
        roundTripAllCodes(DType.F16, ReferenceFormat.F16);
        roundTripAllCodes(DType.BF16, ReferenceFormat.BF16);
        roundTripAllCodes(DType.F8_E4M3, ReferenceFormat.E4M3FN);
        roundTripAllCodes(DType.F8_E5M2, ReferenceFormat.E5M2);
    }

    private static void roundTripAllCodes(DType dtype, ReferenceFormat format) {
        int codes = format.codes();
        int size = dtype.byteSize();
        MemorySegment original = MemorySegment.ofArray(new byte[codes * size + 1]);
        int count = 0;
        for (int code = 0; code < codes; code++) {
            if (!format.isNaN(code)) {
                if (size == 1) {
                    original.set(ValueLayout.JAVA_BYTE, 1 + count, (byte) code);
                } else {
                    original.set(LittleEndian.SHORT, 1 + 2L * count, (short) code);
                }
                count++;
            }
        }
        float[] values = new float[count];
        FloatCodec codec = FloatCodec.of(dtype);
        codec.decode(original, 1, values, 0, count);
        MemorySegment copy = MemorySegment.ofArray(new byte[codes * size + 1]);
        codec.encode(values, 0, count, copy, 1);
        assertThat(copy.mismatch(original)).as(dtype.name()).isEqualTo(-1L);
    }

    @Test
    void decodesBf16FromAMemoryMappedFile(@TempDir Path dir) throws IOException {
        int count = 100_003;
        byte[] bytes = new byte[1 + 2 * count];
        for (int i = 0; i < count; i++) {
            short bits = Bf16.fromFloat(i * 0.25f - 1000f);
            bytes[1 + 2 * i] = (byte) bits;
            bytes[2 + 2 * i] = (byte) (bits >>> 8);
        }
        Path file = Files.write(dir.resolve("tensor.bin"), bytes);
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes.length, arena);
            float[] values = new float[count];
            FloatCodec.of(DType.BF16).decode(mapped, 1, values, 0, count);
            for (int i = 0; i < count; i++) {
                float exact = i * 0.25f - 1000f;
                assertThat(values[i]).isEqualTo(Bf16.toFloat(Bf16.fromFloat(exact)));
            }
            assertThat(values[4000]).isEqualTo(0f);
            assertThat(values[4004]).isEqualTo(1f);
        }
    }

    private static float scalarDecode(DType dtype, byte[] bytes, int at) {
        MemorySegment s = MemorySegment.ofArray(bytes);
        return switch (dtype) {
            case BOOL -> bytes[at] != 0 ? 1f : 0f;
            case U8 -> bytes[at] & 0xFF;
            case I8 -> bytes[at];
            case F8_E4M3 -> Fp8E4M3.toFloat(bytes[at]);
            case F8_E5M2 -> Fp8E5M2.toFloat(bytes[at]);
            case I16 -> s.get(LittleEndian.SHORT, at);
            case U16 -> s.get(LittleEndian.SHORT, at) & 0xFFFF;
            case F16 -> Fp16.toFloat(s.get(LittleEndian.SHORT, at));
            case BF16 -> Bf16.toFloat(s.get(LittleEndian.SHORT, at));
            case I32 -> s.get(LittleEndian.INT, at);
            case U32 -> Integer.toUnsignedLong(s.get(LittleEndian.INT, at));
            case F32 -> s.get(LittleEndian.FLOAT, at);
            case F64 -> (float) s.get(LittleEndian.DOUBLE, at);
            case I64 -> s.get(LittleEndian.LONG, at);
            case U64 -> Float.parseFloat(Long.toUnsignedString(s.get(LittleEndian.LONG, at)));
            default -> throw new AssertionError(dtype);
        };
    }

    /** Little-endian bytes of one encoded element, assembled by hand. */
    private static byte[] scalarEncode(DType dtype, float f) {
        long v = switch (dtype) {
            case BOOL -> f != 0f ? 1 : 0;
            case U8 -> IntegerCasts.toIntClamped(f, 0, 255);
            case I8 -> IntegerCasts.toIntClamped(f, -128, 127);
            case F8_E4M3 -> Fp8E4M3.fromFloat(f);
            case F8_E5M2 -> Fp8E5M2.fromFloat(f);
            case I16 -> IntegerCasts.toIntClamped(f, Short.MIN_VALUE, Short.MAX_VALUE);
            case U16 -> IntegerCasts.toIntClamped(f, 0, 0xFFFF);
            case F16 -> Fp16.fromFloat(f);
            case BF16 -> Bf16.fromFloat(f);
            case I32 -> (int) f;
            case U32 -> IntegerCasts.toUnsignedInt(f);
            case F32 -> Float.floatToRawIntBits(f);
            case F64 -> Double.doubleToRawLongBits(f);
            case I64 -> (long) f;
            case U64 -> IntegerCasts.toUnsignedLong(f);
            default -> throw new AssertionError(dtype);
        };
        byte[] out = new byte[dtype.byteSize()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (v >>> (8 * i));
        }
        return out;
    }

    private static float[] interestingFloats(DType dtype) {
        float[] fixed = {0f, -0f, 1f, -1f, 0.5f, 1.5f, 2.5f, -2.5f, 127.9f, 128f, 255.5f, 256f, -129f, 448f, 464f,
                470f, 65504f, 65520f, 1e10f, -1e10f, 3e38f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN,
                Float.intBitsToFloat(0xFFC1_2345), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0x1p-24f,
                0x1p-133f, 1.00390625f, 4294967296f, 0x1p63f, 0x1p64f, -0x1p63f};
        SplittableRandom random = new SplittableRandom(dtype.ordinal() + 100L);
        float[] all = Arrays.copyOf(fixed, fixed.length + 200);
        for (int i = fixed.length; i < all.length; i++) {
            all[i] = i % 2 == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) random.nextGaussian(0, 1000);
        }
        return all;
    }
}
