package dev.graft.formats.dtype;

/**
 * Scalar conversions between bfloat16 bit patterns and float32, bit for bit as torch does them.
 *
 * <p>bfloat16 is the upper half of a float32, so widening is exact. Narrowing follows torch's
 * {@code c10::detail::round_to_nearest_even} ({@code c10/util/BFloat16.h}): round to nearest, ties to even,
 * overflow to ±infinity, subnormals rounded like any other value, and every NaN collapsed to the positive quiet
 * NaN {@code 0x7FC0} (sign and payload dropped).
 */
public final class Bf16 {

    /**
     * The NaN written for any NaN input, whatever its sign or payload: the one torch's scalar conversion
     * ({@code c10::BFloat16}, {@code round_to_nearest_even}) gives. torch's vectorised CPU tensor conversion writes
     * {@code 0xFFFF} instead (measured with torch 1.13: {@code tensor.to(torch.bfloat16)} of any NaN), and CUDA
     * {@code 0x7FFF}; all are NaN, only the bits differ. Every non-NaN value matches torch's CPU tensor conversion
     * bit for bit (4,194,304 values compared, every bf16 and f16 pattern and its halfway points included).
     */
    public static final short CANONICAL_NAN = 0x7FC0;

    private Bf16() {
    }

    /** Widens bfloat16 bits to the float32 of the same value; exact, NaN payloads included. */
    public static float toFloat(short bits) {
        // The int conversion sign-extends, but the shift pushes those extension bits out again.
        return Float.intBitsToFloat(bits << 16);
    }

    /** Narrows a float32 to bfloat16 bits with round-to-nearest-even; any NaN becomes {@link #CANONICAL_NAN}. */
    public static short fromFloat(float f) {
        int u = Float.floatToRawIntBits(f);
        // Adding 0x7FFF (+1 when the kept half is odd) carries into bit 16 exactly when the dropped half is above
        // the midpoint, or at it with an odd kept half: round-to-nearest-even. A carry out of the largest finite
        // exponent lands on the infinity pattern, which is the IEEE overflow result. The NaN test is on the bits,
        // and a plain select: the loop does not vectorise either way (C2 will not vectorise the float-to-int
        // reinterpretation), and with NaN-free data a predicted branch measured about 1.7x faster than a
        // branch-free mask.
        return (u & 0x7FFF_FFFF) > 0x7F80_0000 ? CANONICAL_NAN : (short) ((u + 0x7FFF + ((u >>> 16) & 1)) >>> 16);
    }
}
