package dev.graft.formats.dtype;

/**
 * Scalar conversions between torch {@code float8_e4m3fn} bit patterns and float32, bit for bit as
 * {@code c10/util/Float8_e4m3fn.h} does them.
 *
 * <p>Layout: 1 sign, 4 exponent (bias 7), 3 mantissa bits. The "fn" variant has no infinities: the only NaNs are
 * {@code 0x7F} and {@code 0xFF}; the largest finite magnitude is 448 ({@code 0x7E}); subnormals go down to
 * 2<sup>-9</sup>.
 *
 * <p>Narrowing rounds to nearest, ties to even. Having no infinity to overflow to, torch maps every magnitude that
 * would round above 448 to NaN with the input's sign: that is everything above 464 (the midpoint between 448
 * and the unrepresentable 480; 464 itself ties to 448), ±infinity and NaN. So {@code +Inf → 0x7F},
 * {@code -Inf → 0xFF}, {@code 470 → 0x7F}, and a NaN keeps its sign.
 */
public final class Fp8E4M3 {

    /** The largest finite value, 448. */
    public static final float MAX_VALUE = 448f;

    /** |f| at or above 480 (the first magnitude past the format) goes straight to NaN. */
    private static final int OVERFLOW_BITS = 0x43F0_0000;
    /** |f| below 2^-6, the smallest normal, is rounded as a subnormal. */
    private static final int MIN_NORMAL_BITS = 121 << 23;
    /**
     * 2^14: adding it to a value below 2^-6 leaves float32's rounding to place the result on the 2^-9 grid of
     * e4m3 subnormals, and the low bits of the sum's pattern are then the e4m3 code.
     */
    private static final int SUBNORMAL_MAGIC_BITS = 141 << 23;
    private static final float SUBNORMAL_MAGIC = Float.intBitsToFloat(SUBNORMAL_MAGIC_BITS);

    /** Every code's float32 value, so that decoding is one load. */
    private static final float[] VALUES = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            VALUES[b] = decode(b);
        }
    }

    private Fp8E4M3() {
    }

    /** Widens e4m3fn bits to float32; exact. The NaN codes give {@code sign | 0x7FF00000}, as torch's do. */
    public static float toFloat(byte bits) {
        return VALUES[bits & 0xFF];
    }

    /** Narrows a float32 to e4m3fn bits as torch does (see the class description for overflow and NaN). */
    public static byte fromFloat(float f) {
        int u = Float.floatToRawIntBits(f);
        int sign = u & 0x8000_0000;
        int abs = u ^ sign;
        int code;
        if (abs >= OVERFLOW_BITS) {
            code = 0x7F;
        } else if (abs < MIN_NORMAL_BITS) {
            // Float addition does the subnormal rounding (to nearest even) for us; see SUBNORMAL_MAGIC.
            code = Float.floatToRawIntBits(Float.intBitsToFloat(abs) + SUBNORMAL_MAGIC) - SUBNORMAL_MAGIC_BITS;
        } else {
            // Rebias the exponent from 127 to 7 and round the 20 dropped mantissa bits to nearest even: adding
            // 0x7FFFF (+1 when the kept mantissa is odd) carries into bit 20 exactly when rounding goes up. A carry
            // out of 448's mantissa yields S.1111.111, the NaN, which is why (464, 480) becomes NaN.
            int keptOdd = (abs >>> 20) & 1;
            code = (abs + ((7 - 127) << 23) + 0x7FFFF + keptOdd) >>> 20;
        }
        return (byte) (code | (sign >>> 24));
    }

    /** The value of an e4m3fn code, built field by field for the decode table. */
    private static float decode(int b) {
        int sign = (b & 0x80) << 24;
        int exponent = (b >>> 3) & 0xF;
        int mantissa = b & 0x7;
        if (exponent == 0) {
            // Subnormal: mantissa × 2^-9 is exactly representable; the sign bit is OR-ed in so that 0x80 is -0.0.
            return Float.intBitsToFloat(Float.floatToRawIntBits(mantissa * 0x1p-9f) | sign);
        }
        int bits = sign | ((exponent - 7 + 127) << 23) | (mantissa << 20);
        if (exponent == 0xF && mantissa == 0x7) {
            // The NaN code: torch forces the float32 exponent to all ones and keeps the mantissa bits.
            bits |= 0x7F80_0000;
        }
        return Float.intBitsToFloat(bits);
    }
}
