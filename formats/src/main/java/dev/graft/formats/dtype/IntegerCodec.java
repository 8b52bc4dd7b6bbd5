package dev.graft.formats.dtype;

import java.lang.foreign.MemorySegment;

/**
 * The integer dtypes, with the conversions of {@link IntegerCasts}: widening to the nearest float32, narrowing by
 * truncation toward zero with saturation (NaN gives 0).
 *
 * <p>The switch on the dtype sits outside the loops so that each loop body is a plain load, convert and store.
 */
final class IntegerCodec implements FloatCodec {

    private final DType dtype;

    IntegerCodec(DType dtype) {
        if (dtype.kind() != DType.Kind.INTEGER) {
            throw new IllegalArgumentException(dtype + " is not an integer dtype");
        }
        this.dtype = dtype;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public void decode(MemorySegment src, long srcOffset, float[] dst, int dstIndex, int count) {
        CodecBounds.check(src, srcOffset, dst, dstIndex, count, dtype.byteSize());
        switch (dtype) {
            case U8 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = src.get(LittleEndian.BYTE, srcOffset + i) & 0xFF;
                }
            }
            case I8 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = src.get(LittleEndian.BYTE, srcOffset + i);
                }
            }
            case U16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = src.get(LittleEndian.SHORT, srcOffset + 2L * i) & 0xFFFF;
                }
            }
            case I16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = src.get(LittleEndian.SHORT, srcOffset + 2L * i);
                }
            }
            case U32 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = Integer.toUnsignedLong(src.get(LittleEndian.INT, srcOffset + 4L * i));
                }
            }
            case I32 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = src.get(LittleEndian.INT, srcOffset + 4L * i);
                }
            }
            case U64 -> {
                for (int i = 0; i < count; i++) {
                    long value = src.get(LittleEndian.LONG, srcOffset + 8L * i);
                    dst[dstIndex + i] = IntegerCasts.unsignedLongToFloat(value);
                }
            }
            case I64 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstIndex + i] = src.get(LittleEndian.LONG, srcOffset + 8L * i);
                }
            }
            default -> throw new AssertionError(dtype);
        }
    }

    @Override
    public void encode(float[] src, int srcIndex, int count, MemorySegment dst, long dstOffset) {
        CodecBounds.check(dst, dstOffset, src, srcIndex, count, dtype.byteSize());
        switch (dtype) {
            case U8 -> {
                for (int i = 0; i < count; i++) {
                    dst.set(LittleEndian.BYTE, dstOffset + i,
                            (byte) IntegerCasts.toIntClamped(src[srcIndex + i], 0, 0xFF));
                }
            }
            case I8 -> {
                for (int i = 0; i < count; i++) {
                    dst.set(LittleEndian.BYTE, dstOffset + i,
                            (byte) IntegerCasts.toIntClamped(src[srcIndex + i], Byte.MIN_VALUE, Byte.MAX_VALUE));
                }
            }
            case U16 -> {
                for (int i = 0; i < count; i++) {
                    dst.set(LittleEndian.SHORT, dstOffset + 2L * i,
                            (short) IntegerCasts.toIntClamped(src[srcIndex + i], 0, 0xFFFF));
                }
            }
            case I16 -> {
                for (int i = 0; i < count; i++) {
                    dst.set(LittleEndian.SHORT, dstOffset + 2L * i,
                            (short) IntegerCasts.toIntClamped(src[srcIndex + i], Short.MIN_VALUE, Short.MAX_VALUE));
                }
            }
            case U32 -> {
                for (int i = 0; i < count; i++) {
                    dst.set(LittleEndian.INT, dstOffset + 4L * i, IntegerCasts.toUnsignedInt(src[srcIndex + i]));
                }
            }
            case I32 -> {
                for (int i = 0; i < count; i++) {
                    // The cast saturates and maps NaN to 0 by the language's own rules.
                    dst.set(LittleEndian.INT, dstOffset + 4L * i, (int) src[srcIndex + i]);
                }
            }
            case U64 -> {
                for (int i = 0; i < count; i++) {
                    dst.set(LittleEndian.LONG, dstOffset + 8L * i, IntegerCasts.toUnsignedLong(src[srcIndex + i]));
                }
            }
            case I64 -> {
                for (int i = 0; i < count; i++) {
                    dst.set(LittleEndian.LONG, dstOffset + 8L * i, (long) src[srcIndex + i]);
                }
            }
            default -> throw new AssertionError(dtype);
        }
    }
}
