package dev.graft.formats.dtype;

/**
 * Scalar conversions between float32 and the integer dtypes.
 *
 * <p>Widening gives the float32 nearest to the exact integer (ties to even), reading the unsigned types as
 * unsigned. Narrowing truncates toward zero as a C++ cast does; where C++ leaves the result undefined (NaN, or a
 * value outside the target's range) these saturate instead: NaN gives 0 and out-of-range values clamp to the
 * type's minimum or maximum (negative values give 0 for the unsigned types).
 */
final class IntegerCasts {

    private static final float TWO_POW_63 = 0x1p63f;
    private static final float TWO_POW_64 = 0x1p64f;

    private IntegerCasts() {
    }

    /** The float32 nearest to {@code value} read as an unsigned 64-bit integer. */
    static float unsignedLongToFloat(long value) {
        if (value >= 0) {
            return value;
        }
        // Halve so the value fits a signed long, OR-ing the dropped bit back in as a sticky bit: it sits 39 places
        // below float32's last kept bit, so it can only break a would-be tie, exactly as the full value would.
        // Doubling afterwards is exact.
        return (float) ((value >>> 1) | (value & 1)) * 2f;
    }

    /** Truncates toward zero and clamps to [min, max]; NaN gives 0. Valid for ranges inside int. */
    static int toIntClamped(float f, int min, int max) {
        // The (int) cast already truncates, saturates at the int range and maps NaN to 0.
        return Math.clamp((int) f, min, max);
    }

    /** Truncates toward zero into [0, 2^32 - 1]; NaN gives 0. The result's low 32 bits are the uint32. */
    static int toUnsignedInt(float f) {
        return (int) Math.clamp((long) f, 0L, 0xFFFF_FFFFL);
    }

    /** Truncates toward zero into [0, 2^64 - 1]; NaN gives 0. The result's bits are the uint64. */
    static long toUnsignedLong(float f) {
        if (!(f > 0f)) {
            return 0L;
        }
        if (f >= TWO_POW_64) {
            return -1L;
        }
        if (f >= TWO_POW_63) {
            // Every float32 in [2^63, 2^64) is a multiple of 2^40, so the subtraction is exact.
            return (long) (f - TWO_POW_63) + Long.MIN_VALUE;
        }
        return (long) f;
    }
}
