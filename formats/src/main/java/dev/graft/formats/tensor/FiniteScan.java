package dev.graft.formats.tensor;

/**
 * Counts NaN and infinite values in float32 data. One NaN in a fine-tune spreads through every merge method
 * (a sum, a sign vote, a norm), so inputs are scanned as they are read and outputs before they are published.
 */
public final class FiniteScan {
    private static final int EXPONENT = 0x7f800000;

    private FiniteScan() {
    }

    /** The number of non-finite values in {@code values[from, from + n)}. */
    public static int countNonFinite(float[] values, int from, int n) {
        int count = 0;
        for (int i = from, end = from + n; i < end; i++) {
            // All exponent bits set is exactly NaN or ±Inf; a branch-free count keeps the loop vectorizable.
            count += (Float.floatToRawIntBits(values[i]) & EXPONENT) == EXPONENT ? 1 : 0;
        }
        return count;
    }
}
