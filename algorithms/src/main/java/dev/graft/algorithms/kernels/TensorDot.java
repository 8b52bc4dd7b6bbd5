package dev.graft.algorithms.kernels;

import java.util.Arrays;

/**
 * {@code Σ x·y} over a whole tensor, in double, in an order of additions fixed by the elements' positions alone, so
 * that the sum's bits do not depend on how the tensor was cut into chunks or blocks: the tensor is split into
 * blocks of {@value #BLOCK} elements at multiples of {@value #BLOCK} from its start; within a block, element
 * {@code g} (its index in the tensor) goes to accumulator {@code g % 4}, in increasing {@code g}; at each block's
 * end the four are added pairwise to the total, in block order. Spans handed to {@link #add} must follow each other
 * from element 0 without gaps.
 */
final class TensorDot {
    /** Elements per block: the total gains one rounding per block, not one per element. */
    static final int BLOCK = 1 << 14;
    private static final int LANES = 4;

    private final double[] lanes = new double[LANES];
    private double total;

    /**
     * Adds {@code x[xo + i]·y[yo + i]} for {@code i} in {@code [0, length)}, elements {@code first + i} of the
     * tensor.
     */
    void add(long first, float[] x, int xo, float[] y, int yo, int length) {
        int done = 0;
        while (done < length) {
            long g = first + done;
            int inBlock = (int) (g % BLOCK);
            int span = Math.min(length - done, BLOCK - inBlock);
            accumulate(x, xo + done, y, yo + done, span, inBlock, lanes);
            done += span;
            if (inBlock + span == BLOCK) {
                total += pairwise(lanes);
                Arrays.fill(lanes, 0);
            }
        }
    }

    /** The sum of every span added so far (the last block may be partial). */
    double value() {
        return total + pairwise(lanes);
    }

    /** Adds the products to {@code lanes[(phase + i) % 4]}, in increasing {@code i}. */
    private static void accumulate(float[] x, int xo, float[] y, int yo, int length, int phase, double[] lanes) {
        int i = 0;
        for (; i < length && ((phase + i) & (LANES - 1)) != 0; i++) {
            lanes[(phase + i) & (LANES - 1)] += (double) x[xo + i] * y[yo + i];
        }
        double s0 = lanes[0];
        double s1 = lanes[1];
        double s2 = lanes[2];
        double s3 = lanes[3];
        for (; i <= length - LANES; i += LANES) {
            s0 += (double) x[xo + i] * y[yo + i];
            s1 += (double) x[xo + i + 1] * y[yo + i + 1];
            s2 += (double) x[xo + i + 2] * y[yo + i + 2];
            s3 += (double) x[xo + i + 3] * y[yo + i + 3];
        }
        lanes[0] = s0;
        lanes[1] = s1;
        lanes[2] = s2;
        lanes[3] = s3;
        for (; i < length; i++) {
            lanes[(phase + i) & (LANES - 1)] += (double) x[xo + i] * y[yo + i];
        }
    }

    private static double pairwise(double[] a) {
        return (a[0] + a[1]) + (a[2] + a[3]);
    }
}
