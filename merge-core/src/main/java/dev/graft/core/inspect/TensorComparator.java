package dev.graft.core.inspect;

import dev.graft.formats.tensor.Tensor;

/**
 * Compares two tensors of the same shape, streaming both through float32 windows so that tensors of any size
 * need only the two window buffers. Sums run in double: a float accumulator over millions of squares loses
 * the small deltas a fine-tune makes.
 */
public final class TensorComparator {
    /** Elements per window: 4 MiB per buffer. */
    public static final int WINDOW = 1 << 20;

    private final float[] a = new float[WINDOW];
    private final float[] b = new float[WINDOW];

    /** Compares {@code y} against {@code x}; both must have the same shape. */
    public TensorDelta compare(Tensor x, Tensor y) {
        if (!x.shape().equals(y.shape())) {
            throw new IllegalArgumentException(x.name() + ": shapes " + x.shape() + " and " + y.shape() + " differ");
        }
        boolean sameBytes = x.dtype() == y.dtype() && x.data().mismatch(y.data()) == -1;
        if (!x.dtype().hasFloatCodec() || !y.dtype().hasFloatCodec()) {
            return new TensorDelta(x.name(), x.dtype(), y.dtype(), x.shape(), sameBytes, false,
                    Double.NaN, Double.NaN, Double.NaN);
        }
        double sumA = 0;
        double sumD = 0;
        double max = 0;
        long n = x.elementCount();
        for (long first = 0; first < n; first += WINDOW) {
            int count = (int) Math.min(WINDOW, n - first);
            x.readFloats(first, a, 0, count);
            y.readFloats(first, b, 0, count);
            for (int i = 0; i < count; i++) {
                double va = a[i];
                double d = b[i] - va;
                sumA += va * va;
                sumD += d * d;
                max = Math.max(max, Math.abs(d));
            }
        }
        boolean identical = x.dtype() == y.dtype() ? sameBytes : sumD == 0;
        return new TensorDelta(x.name(), x.dtype(), y.dtype(), x.shape(), identical, true,
                Math.sqrt(sumA), Math.sqrt(sumD), max);
    }
}
