package dev.graft.algorithms.select;

/**
 * The integer sort key of a float's magnitude {@code |x|}: comparing keys as ints orders values by magnitude.
 *
 * <p>For a non-negative float the IEEE-754 bit pattern read as an int is monotonic in the value, so clearing the
 * sign bit gives a key for {@code |x|}: {@code +0} and {@code -0} share key 0, subnormals come next, and +/-infinity
 * has key {@code 0x7F800000}. Every NaN, whatever its sign or payload, gets the single key {@link #NAN} just above
 * infinity: NaNs rank as the largest magnitudes and tie with each other, as {@code torch.sort}/{@code argsort}
 * (and NumPy) order NaN after every number. So the keys of all floats lie in {@code [0, NAN]}, and the top 16 bits
 * of a key are at most {@code 0x7F80} ({@link #HIGH_BUCKETS} buckets suffice for them).
 */
public final class MagnitudeKey {

    /** The key of every NaN: one above the key of infinity, so NaN is the largest magnitude. */
    public static final int NAN = 0x7F80_0001;

    /** The key of +/-infinity. */
    public static final int INFINITY = 0x7F80_0000;

    /** How many distinct values the top 16 bits of a key take ({@code NAN >>> 16} is {@code 0x7F80}). */
    public static final int HIGH_BUCKETS = (NAN >>> 16) + 1;

    private MagnitudeKey() {
    }

    /** The magnitude key of {@code x}; see the class comment for the order it gives. */
    public static int of(float x) {
        // min() rather than a NaN test: it folds every NaN pattern onto one key without a branch.
        return Math.min(Float.floatToRawIntBits(x) & 0x7FFF_FFFF, NAN);
    }

    /** The magnitude key of the float whose raw bits are {@code bits}: {@code of(Float.intBitsToFloat(bits))}. */
    public static int ofBits(int bits) {
        return Math.min(bits & 0x7FFF_FFFF, NAN);
    }

    /** The magnitude a key stands for: the non-negative float with those bits, or NaN for {@link #NAN}. */
    public static float magnitude(int key) {
        if (key < 0 || key > NAN) {
            throw new IllegalArgumentException("not a magnitude key: 0x" + Integer.toHexString(key));
        }
        return key == NAN ? Float.NaN : Float.intBitsToFloat(key);
    }
}
