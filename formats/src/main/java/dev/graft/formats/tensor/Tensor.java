package dev.graft.formats.tensor;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.dtype.FloatCodec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A tensor's spec and its bytes: a slice of a memory-mapped file, or a heap segment for tensors made in memory.
 *
 * <p>Reading never copies the whole tensor unless asked ({@link #toFloatArray()}); streaming code reads windows of
 * elements with {@link #readFloats}, so a tensor of any size (over 2 GiB too) flows through a small buffer.
 * Instances are immutable views and safe to share between threads while the file they map stays open.
 */
public final class Tensor {
    /** Largest float[] the JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final TensorSpec spec;
    private final MemorySegment data;

    /**
     * @param spec what the bytes hold
     * @param data exactly {@code spec.byteSize()} little-endian bytes
     */
    public Tensor(TensorSpec spec, MemorySegment data) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.data = Objects.requireNonNull(data, "data");
        if (data.byteSize() != spec.byteSize()) {
            throw new IllegalArgumentException(spec.name() + ": " + data.byteSize() + " bytes given for "
                    + spec.byteSize() + " bytes of " + spec.dtype() + " " + spec.shape());
        }
    }

    /** Encodes float32 values into a new heap tensor of the given dtype (rounding as torch's {@code .to(dtype)}). */
    public static Tensor fromFloats(String name, DType dtype, Shape shape, float[] values) {
        TensorSpec spec = new TensorSpec(name, dtype, shape);
        if (values.length != shape.elementCount()) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + shape);
        }
        MemorySegment seg = MemorySegment.ofArray(new byte[Math.toIntExact(spec.byteSize())]);
        FloatCodec.of(dtype).encode(values, 0, values.length, seg, 0);
        return new Tensor(spec, seg);
    }

    public TensorSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public DType dtype() {
        return spec.dtype();
    }

    public Shape shape() {
        return spec.shape();
    }

    public long elementCount() {
        return spec.elementCount();
    }

    /** The raw little-endian bytes (read-only for mapped files). */
    public MemorySegment data() {
        return data;
    }

    /**
     * Widens {@code count} elements starting at element {@code first} into {@code dst[dstIndex…]}.
     *
     * @throws UnsupportedOperationException for dtypes readable as raw bytes only
     * @throws IndexOutOfBoundsException     for a window outside the tensor
     */
    public void readFloats(long first, float[] dst, int dstIndex, int count) {
        Objects.checkFromIndexSize(first, count, spec.elementCount());
        Objects.checkFromIndexSize(dstIndex, count, dst.length);
        FloatCodec.of(spec.dtype()).decode(data, first * spec.dtype().byteSize(), dst, dstIndex, count);
    }

    /**
     * Widens as {@link #readFloats} does and answers how many of the values read are NaN or infinite, in the same
     * pass over the data where the dtype's codec can.
     *
     * @throws UnsupportedOperationException for dtypes readable as raw bytes only
     * @throws IndexOutOfBoundsException     for a window outside the tensor
     */
    public int readFloatsCountingNonFinite(long first, float[] dst, int dstIndex, int count) {
        Objects.checkFromIndexSize(first, count, spec.elementCount());
        Objects.checkFromIndexSize(dstIndex, count, dst.length);
        return FloatCodec.of(spec.dtype())
                .decodeCountingNonFinite(data, first * spec.dtype().byteSize(), dst, dstIndex, count);
    }

    /** One element as float32. */
    public float getFloat(long index) {
        float[] one = new float[1];
        readFloats(index, one, 0, 1);
        return one[0];
    }

    /**
     * All elements as float32.
     *
     * @throws UnsupportedOperationException when the tensor has more elements than a Java array holds; stream it
     *                                       with {@link #readFloats} instead
     */
    public float[] toFloatArray() {
        if (spec.elementCount() > MAX_ARRAY) {
            throw new UnsupportedOperationException(spec.name() + " has " + spec.elementCount()
                    + " elements, more than one Java array holds; read it in windows with readFloats");
        }
        float[] out = new float[(int) spec.elementCount()];
        readFloats(0, out, 0, out.length);
        return out;
    }

    @Override
    public String toString() {
        return spec.name() + " " + spec.dtype() + " " + spec.shape();
    }
}
