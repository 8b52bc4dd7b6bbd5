package dev.graft.formats.delta;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One stored piece of a compressed tensor (packed sign bits, a scale, a factor matrix), with its raw
 * little-endian bytes.
 *
 * @param part  the part's name within its tensor ({@code signs}, {@code scale}, …)
 * @param dtype the stored element type
 * @param shape the stored shape
 * @param data  exactly {@code shape × dtype} bytes
 */
public record DeltaPart(String part, DType dtype, Shape shape, MemorySegment data) {
    public DeltaPart {
        Objects.requireNonNull(part, "part");
        long expected = new TensorSpec(part, dtype, shape).byteSize();
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("part " + part + ": " + data.byteSize() + " bytes for " + dtype + " "
                    + shape + ", which takes " + expected);
        }
    }

    /** A part holding a byte array as U8 of shape {@code [length]}. */
    public static DeltaPart bytes(String part, byte[] data) {
        return new DeltaPart(part, DType.U8, Shape.of(data.length), MemorySegment.ofArray(data));
    }

    /** A part holding float32 values of the given shape. */
    public static DeltaPart floats(String part, Shape shape, float[] values) {
        byte[] le = new byte[values.length * Float.BYTES];
        java.nio.ByteBuffer.wrap(le).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        return new DeltaPart(part, DType.F32, shape, MemorySegment.ofArray(le));
    }

    /** The spec it is stored under, for the tensor {@code tensor}. */
    public TensorSpec spec(String tensor) {
        return new TensorSpec(DeltaManifest.partName(tensor, part), dtype, shape);
    }
}
