package dev.graft.formats.safetensors;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

/**
 * One header entry: a tensor's spec and where its bytes lie in the data buffer.
 *
 * @param spec  name, dtype, shape
 * @param begin first byte, relative to the start of the data buffer (after the header)
 * @param end   one past the last byte
 */
public record TensorInfo(TensorSpec spec, long begin, long end) {

    public String name() {
        return spec.name();
    }

    public DType dtype() {
        return spec.dtype();
    }

    public Shape shape() {
        return spec.shape();
    }

    public long byteSize() {
        return end - begin;
    }
}
