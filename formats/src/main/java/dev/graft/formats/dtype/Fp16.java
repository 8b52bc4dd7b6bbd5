package dev.graft.formats.dtype;

/**
 * Scalar conversions between IEEE 754 binary16 ("half", torch {@code float16}) bit patterns and float32, as torch
 * does them.
 *
 * <p>Widening is exact for every finite value, subnormals and infinities included. A NaN keeps its sign and
 * payload and comes out quiet (a signalling half NaN gets the quiet bit set), as in torch on x86, where both its
 * F16C path and its portable {@code fp16_ieee_to_fp32_value} (through a float multiply) quieten.
 *
 * <p>Narrowing rounds to nearest, ties to even, into subnormals where needed; magnitudes from 65520 up (the
 * midpoint between the largest finite half, 65504, and 65536) become ±infinity. Every NaN becomes
 * {@code sign | 0x7E00}, the canonical quiet NaN of torch's portable {@code fp16_ieee_from_fp32_value}
 * ({@code c10/util/Half.h}); the payload is dropped.
 */
public final class Fp16 {

    /**
     * Whether this JVM's {@link Float#float16ToFloat} already quietens signalling NaNs, as torch does. HotSpot's
     * x86 intrinsic (F16C) does, in compiled and interpreted code alike (checked on JDK 25); the JDK's pure-Java
     * fallback keeps them signalling. Probed once, so that where it holds decoding stays a single intrinsic that C2
     * vectorises, and elsewhere {@link #toFloat} fixes NaNs up itself.
     */
    static final boolean JDK_DECODE_QUIETS_NANS =
            Float.floatToRawIntBits(Float.float16ToFloat((short) 0xFC01)) == 0xFFC0_2000;

    private Fp16() {
    }

    /** Widens binary16 bits to float32; exact except that a signalling NaN is quietened. */
    public static float toFloat(short bits) {
        boolean nan = (bits & 0x7C00) == 0x7C00 && (bits & 0x03FF) != 0;
        return nan && !JDK_DECODE_QUIETS_NANS ? quietNan(bits) : Float.float16ToFloat(bits);
    }

    /** The float32 torch widens a binary16 NaN to: same sign, payload at the top of the mantissa, quiet bit set. */
    static float quietNan(short bits) {
        return Float.intBitsToFloat(((bits & 0x8000) << 16) | 0x7FC0_0000 | ((bits & 0x03FF) << 13));
    }

    /** Narrows a float32 to binary16 bits with round-to-nearest-even; a NaN becomes {@code sign | 0x7E00}. */
    public static short fromFloat(float f) {
        // Float.floatToFloat16 rounds exactly as IEEE requires but keeps NaN payload bits; torch's portable path
        // does not. Testing the bits (rather than f != f) keeps this a cheap integer compare in codec loops.
        short h = Float.floatToFloat16(f);
        return (Float.floatToRawIntBits(f) & 0x7FFF_FFFF) > 0x7F80_0000 ? (short) ((h & 0x8000) | 0x7E00) : h;
    }
}
