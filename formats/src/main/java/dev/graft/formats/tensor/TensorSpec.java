package dev.graft.formats.tensor;

import dev.graft.formats.dtype.DType;

import java.util.Objects;

/**
 * What a tensor is, without its data: name, dtype and shape.
 *
 * @param name  the state-dict key ({@code model.layers.0.mlp.up_proj.weight})
 * @param dtype the element type
 * @param shape the dimensions
 */
public record TensorSpec(String name, DType dtype, Shape shape) {
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
    }

    public long elementCount() {
        return shape.elementCount();
    }

    /**
     * Bytes the data takes on disk.
     *
     * @throws ArithmeticException when it overflows, or when a sub-byte dtype does not fill whole bytes
     */
    public long byteSize() {
        long bits = Math.multiplyExact(shape.elementCount(), (long) dtype.bits());
        if (bits % 8 != 0) {
            throw new ArithmeticException(name + ": " + shape.elementCount() + " elements of " + dtype
                    + " do not fill whole bytes");
        }
        return bits / 8;
    }
}
