package dev.graft.formats.dtype;

/**
 * Scalar conversions between torch {@code float8_e5m2} bit patterns and float32, bit for bit as
 * {@code c10/util/Float8_e5m2.h} does them.
 *
 * <p>Layout: 1 sign, 5 exponent (bias 15), 2 mantissa bits; an e5m2 code is the upper byte of the binary16 of the
 * same value. It has ±infinity ({@code 0x7C}, {@code 0xFC}) and NaNs ({@code 0x7D}–{@code 0x7F} and their negative
 * twins); the largest finite magnitude is 57344 ({@code 0x7B}); subnormals go down to 2<sup>-16</sup>.
 *
 * <p>Widening goes through binary16, as torch's does, so a NaN keeps its payload and comes out quiet. Narrowing
 * rounds to nearest, ties to even; magnitudes from 61440 (the midpoint between 57344 and 65536) up become
 * ±infinity; every NaN becomes {@code sign | 0x7F}.
 */
public final class Fp8E5M2 {

    /** The largest finite value, 57344. */
    public static final float MAX_VALUE = 57344f;

    private static final int INFINITY_BITS = 0x7F80_0000;
    /** |f| at or above 65536, the first magnitude past the format, is infinity (or NaN). */
    private static final int OVERFLOW_BITS = 143 << 23;
    /** |f| below 2^-14, the smallest normal, is rounded as a subnormal. */
    private static final int MIN_NORMAL_BITS = 113 << 23;
    /** 2^7: adding it puts a value below 2^-14 on the 2^-16 grid of e5m2 subnormals (see {@link Fp8E4M3}). */
    private static final int SUBNORMAL_MAGIC_BITS = 134 << 23;
    private static final float SUBNORMAL_MAGIC = Float.intBitsToFloat(SUBNORMAL_MAGIC_BITS);

    private static final float[] VALUES = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            VALUES[b] = Fp16.toFloat((short) (b << 8));
        }
    }

    private Fp8E5M2() {
    }

    /** Widens e5m2 bits to float32; exact for numbers and infinities, NaNs come out quiet. */
    public static float toFloat(byte bits) {
        return VALUES[bits & 0xFF];
    }

    /** Narrows a float32 to e5m2 bits as torch does: RNE, overflow to ±infinity, NaN to {@code sign | 0x7F}. */
    public static byte fromFloat(float f) {
        int u = Float.floatToRawIntBits(f);
        int sign = u & 0x8000_0000;
        int abs = u ^ sign;
        int code;
        if (abs >= OVERFLOW_BITS) {
            code = abs > INFINITY_BITS ? 0x7F : 0x7C;
        } else if (abs < MIN_NORMAL_BITS) {
            code = Float.floatToRawIntBits(Float.intBitsToFloat(abs) + SUBNORMAL_MAGIC) - SUBNORMAL_MAGIC_BITS;
        } else {
            // Rebias 127 → 15 and round the 21 dropped mantissa bits to nearest even; a carry out of 57344's
            // mantissa lands on 0x7C, infinity.
            int keptOdd = (abs >>> 21) & 1;
            code = (abs + ((15 - 127) << 23) + 0xFFFFF + keptOdd) >>> 21;
        }
        return (byte) (code | (sign >>> 24));
    }
}
