package dev.graft.formats.dtype;

/** Counts NaN and infinite float32 values: those whose exponent bits are all set. */
public final class NonFinite {
    private static final int EXPONENT = 0x7f800000;

    private NonFinite() {
    }

    /** The number of NaN and infinite values in {@code values[from, from + n)}. */
    public static int count(float[] values, int from, int n) {
        int count = 0;
        for (int i = from, end = from + n; i < end; i++) {
            // A branch-free count keeps the loop vectorizable.
            count += (Float.floatToRawIntBits(values[i]) & EXPONENT) == EXPONENT ? 1 : 0;
        }
        return count;
    }
}
