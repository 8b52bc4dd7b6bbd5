package dev.graft.formats.tensor;

import java.util.Arrays;

/**
 * An immutable tensor shape. Dimensions are non-negative; a rank-0 shape is a scalar of one element and any zero
 * dimension makes an empty tensor, as in safetensors.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new long[0], 1);

    private final long[] dims;
    private final long elementCount;

    private Shape(long[] dims, long elementCount) {
        this.dims = dims;
        this.elementCount = elementCount;
    }

    /**
     * @throws IllegalArgumentException for a negative dimension
     * @throws ArithmeticException when the element count overflows a {@code long}
     */
    public static Shape of(long... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        long count = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
            count = Math.multiplyExact(count, d);
        }
        return new Shape(dims.clone(), count);
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int i) {
        return dims[i];
    }

    public long[] dims() {
        return dims.clone();
    }

    /** Product of the dimensions (1 for a scalar). */
    public long elementCount() {
        return elementCount;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [4096, 11008]}, as torch prints it. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
