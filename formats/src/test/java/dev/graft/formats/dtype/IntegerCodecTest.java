package dev.graft.formats.dtype;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntegerCodecTest {

    @ParameterizedTest(name = "{0} bytes {1} -> {2}")
    @CsvSource({
            "U8, FF, 255",
            "I8, FF, -1",
            "I8, 80, -128",
            "U16, FFFF, 65535",
            "I16, 0080, -32768",
            "U32, FFFFFFFF, 4294967296",           // 2^32 - 1 rounds to 2^32
            "I32, FFFFFF7F, 2147483648",           // Integer.MAX_VALUE rounds to 2^31
            "I32, 00000080, -2147483648",
            "I32, 01000001, 16777216",             // 0x01000001 = 2^24 + 1: tie, to even 2^24
            "U64, FFFFFFFFFFFFFFFF, 18446744073709551616",
            "U64, 0000000000000080, 9223372036854775808",
            "I64, 0000000000000080, -9223372036854775808",
            "I64, FFFFFFFFFFFFFF7F, 9223372036854775808",
    })
    void decodesLittleEndianIntegersToTheNearestFloat(DType dtype, String littleEndianHex, String expected) {
        byte[] bytes = new byte[littleEndianHex.length() / 2 + 1];
        for (int i = 1; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(littleEndianHex.substring(2 * i - 2, 2 * i), 16);
        }
        float[] out = new float[1];
        FloatCodec.of(dtype).decode(MemorySegment.ofArray(bytes), 1, out, 0, 1);
        assertThat(out[0]).isEqualTo(Float.parseFloat(expected));
    }

    @Test
    void unsignedLongsRoundToNearestEvenLikeExactArithmetic() {
        SplittableRandom random = new SplittableRandom(64);
        long[] edges = {-1L, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE,
                // 2^63 + 2^39: exactly halfway between 2^63 and 2^63 + 2^40, ties to even 2^63.
                Long.MIN_VALUE + (1L << 39), Long.MIN_VALUE + (1L << 39) + 1, Long.MIN_VALUE + (3L << 39),
                -(1L << 39), -(1L << 39) - 1, 0, 1};
        for (long v : edges) {
            assertThat(IntegerCasts.unsignedLongToFloat(v)).as(Long.toUnsignedString(v)).isEqualTo(exact(v));
        }
        for (int i = 0; i < 100_000; i++) {
            // Random magnitudes with random low bits, so that ties and near-ties are common.
            long v = random.nextLong() >>> random.nextInt(64);
            if (random.nextBoolean()) {
                v &= ~((1L << random.nextInt(1, 41)) - 1);
                v |= random.nextBoolean() ? 0 : 1L << random.nextInt(0, 40);
            }
            assertThat(IntegerCasts.unsignedLongToFloat(v)).as(Long.toUnsignedString(v)).isEqualTo(exact(v));
        }
    }

    /** The correctly rounded float of an unsigned long, by way of BigInteger (whose floatValue rounds to even). */
    private static float exact(long v) {
        return new BigInteger(Long.toUnsignedString(v)).floatValue();
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({
            "U8, 2.9, 2", "U8, 255.9, 255", "U8, 256, 255", "U8, -0.9, 0", "U8, -1, 0", "U8, NaN, 0",
            "U8, Infinity, 255", "U8, -Infinity, 0",
            "I8, -2.9, -2", "I8, 127.5, 127", "I8, 128, 127", "I8, -128.9, -128", "I8, -200, -128", "I8, NaN, 0",
            "U16, 65535.5, 65535", "U16, 1e9, 65535", "U16, -5, 0",
            "I16, -32768.7, -32768", "I16, 40000, 32767", "I16, -1e9, -32768",
            "U32, 4294967296, 4294967295", "U32, 4294967040, 4294967040", "U32, -3, 0", "U32, NaN, 0",
            "I32, 2147483648, 2147483647", "I32, -3e9, -2147483648", "I32, -7.99, -7", "I32, NaN, 0",
            "I64, 1e19, 9223372036854775807", "I64, -Infinity, -9223372036854775808", "I64, 123456.78, 123456",
            "U64, 1e20, 18446744073709551615", "U64, Infinity, 18446744073709551615",
            "U64, 9223372036854775808, 9223372036854775808", // 2^63, the first value that needs the unsigned range
            "U64, 1.8446743e19, 18446742974197923840",         // largest float below 2^64
            "U64, 12345.6, 12345", "U64, -1, 0", "U64, NaN, 0", "U64, -0.0, 0",
    })
    void encodesByTruncationWithSaturation(DType dtype, String value, String expectedUnsignedOrSigned) {
        int size = dtype.byteSize();
        MemorySegment segment = MemorySegment.ofArray(new byte[size + 3]);
        FloatCodec.of(dtype).encode(new float[] {Float.parseFloat(value)}, 0, 1, segment, 3);
        BigInteger actual = BigInteger.ZERO;
        for (int i = size - 1; i >= 0; i--) {
            actual = actual.shiftLeft(8).or(BigInteger.valueOf(segment.get(ValueLayout.JAVA_BYTE, 3 + i) & 0xFF));
        }
        BigInteger expected = new BigInteger(expectedUnsignedOrSigned);
        if (expected.signum() < 0) {
            expected = expected.add(BigInteger.ONE.shiftLeft(8 * size)); // two's complement as stored
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void smallIntegersRoundTripExactly() {
        for (DType dtype : new DType[] {DType.U8, DType.I8, DType.U16, DType.I16}) {
            int size = dtype.byteSize();
            int codes = 1 << (8 * size);
            MemorySegment original = MemorySegment.ofArray(new byte[codes * size]);
            for (int i = 0; i < codes; i++) {
                if (size == 1) {
                    original.set(ValueLayout.JAVA_BYTE, i, (byte) i);
                } else {
                    original.set(LittleEndian.SHORT, 2L * i, (short) i);
                }
            }
            float[] values = new float[codes];
            FloatCodec codec = FloatCodec.of(dtype);
            codec.decode(original, 0, values, 0, codes);
            MemorySegment copy = MemorySegment.ofArray(new byte[codes * size]);
            codec.encode(values, 0, codes, copy, 0);
            assertThat(copy.mismatch(original)).as(dtype.name()).isEqualTo(-1L);
        }
    }
}
