package dev.graft.formats.tensor;

import dev.graft.formats.dtype.NonFinite;

/**
 * Counts NaN and infinite values in float32 data. One NaN in a fine-tune spreads through every merge method
 * (a sum, a sign vote, a norm), so inputs are scanned as they are read and outputs before they are published.
 */
public final class FiniteScan {
    private static final int CHUNK = 1 << 16;

    private FiniteScan() {
    }

    /** The number of non-finite values in {@code values[from, from + n)}. */
    public static int countNonFinite(float[] values, int from, int n) {
        return NonFinite.count(values, from, n);
    }

    /**
     * Reads a whole floating-point tensor once and refuses it when it holds NaN or infinite values; other dtypes
     * pass. For commands that read their inputs in many ways (extraction, compression): one check before the work,
     * whose second read of the same pages comes from the page cache.
     *
     * @param model the model the tensor is in, for the message
     * @throws NonFiniteValuesException naming the model, the tensor and the count
     */
    public static void requireFinite(java.nio.file.Path model, Tensor tensor) {
        if (!tensor.dtype().isFloatingPoint()) {
            return;
        }
        long total = tensor.shape().elementCount();
        float[] buf = new float[(int) Math.min(total, CHUNK)];
        long bad = 0;
        ReleaseBehind read = new ReleaseBehind(tensor);
        for (long first = 0; first < total; first += buf.length) {
            int n = (int) Math.min(buf.length, total - first);
            bad += tensor.readFloatsCountingNonFinite(first, buf, 0, n);
            read.readUpTo(first + n);
        }
        if (bad > 0) {
            throw NonFiniteValuesException.input(model, tensor.name(), bad);
        }
    }
}
