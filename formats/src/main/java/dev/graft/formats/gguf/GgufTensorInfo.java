package dev.graft.formats.gguf;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a GGUF tensor-info table.
 *
 * <p>GGUF stores dimensions in ggml's order, fastest-varying first ({@code ne[0]} is a row's length), the reverse of
 * the row-major shape torch and safetensors use: a Hugging Face {@code [out, in]} weight has {@code dims = [in, out]}.
 * {@link #shape()} gives the row-major shape; quantization blocks run along {@code ne[0]}.
 *
 * @param name   the GGUF tensor name ({@code blk.0.attn_q.weight})
 * @param type   the stored type
 * @param dims   the dimensions, ggml order ({@code ne[0]} first), 1 to 4 of them
 * @param offset the data's byte offset from the start of the data section, a multiple of the file's alignment
 */
public record GgufTensorInfo(String name, GgufTensorType type, long[] dims, long offset) {
    /** ggml's {@code GGML_MAX_DIMS}. */
    public static final int MAX_DIMS = 4;

    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        dims = dims.clone();
    }

    /** An entry for a tensor of a row-major shape (a scalar is stored as one element of one dimension). */
    public static GgufTensorInfo of(String name, GgufTensorType type, Shape shape, long offset) {
        long[] d = shape.rank() == 0 ? new long[] {1} : new long[shape.rank()];
        for (int i = 0; i < shape.rank(); i++) {
            d[i] = shape.dim(shape.rank() - 1 - i);
        }
        return new GgufTensorInfo(name, type, d, offset);
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** {@code ne[0]}, the length of a row, along which quantization blocks run. */
    public long rowLength() {
        return dims[0];
    }

    /** The row-major shape (dims reversed). */
    public Shape shape() {
        long[] s = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = dims[dims.length - 1 - i];
        }
        return Shape.of(s);
    }

    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes of data. */
    public long byteSize() {
        return type.byteSize(elementCount());
    }

    /**
     * The spec the tensor is read as: its own dtype for F32, F16 and BF16, float32 for the quantized types (read
     * dequantized, as ggml's {@code dequantize_row_*} computes them).
     *
     * @throws GgufException ({@link GgufError#UNSUPPORTED_TENSOR_TYPE}) for a type Graft does not convert
     */
    public TensorSpec spec() {
        return spec(null);
    }

    /** {@link #spec()}, naming {@code file} in the refusal. */
    TensorSpec spec(java.nio.file.Path file) {
        DType dtype = switch (type) {
            case F32, Q8_0, Q4_0, Q4_K, Q6_K -> DType.F32;
            case F16 -> DType.F16;
            case BF16 -> DType.BF16;
            default -> throw new GgufException(file, GgufError.UNSUPPORTED_TENSOR_TYPE, name,
                    type + " is not among the types Graft reads (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K)");
        };
        return new TensorSpec(name, dtype, shape());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && type == t.type && Arrays.equals(dims, t.dims)
                && offset == t.offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(dims), offset);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims) + " @" + offset;
    }
}
