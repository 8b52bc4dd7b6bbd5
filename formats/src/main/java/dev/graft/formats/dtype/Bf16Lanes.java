package dev.graft.formats.dtype;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The bf16 codec's loops on the incubating Vector API, eight elements a step: C2 does not vectorise the scalar
 * loops, because it will not vectorise the reinterpretation between an int's and a float's bits that widening and
 * narrowing need. Same results as {@link Bf16#toFloat} and {@link Bf16#fromFloat} to the bit, NaNs included
 * (tests compare every pattern). Loaded only when {@link dev.graft.formats.simd.Simd#ENABLED}.
 */
final class Bf16Lanes {
    /** Eight bf16 values: 128 bits in, 256 bits of float32 out. */
    static final int STEP = 8;
    private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
    private static final int EXPONENT = 0x7F80_0000;

    private Bf16Lanes() {
    }

    /**
     * Widens elements {@code [0, count - count % STEP)} from {@code src} at {@code srcOffset} into {@code dst[at…]}
     * and answers how many of them are NaN or infinite; the caller widens the rest.
     */
    static int decode(MemorySegment src, long srcOffset, float[] dst, int at, int count) {
        IntVector exponent = IntVector.broadcast(INTS, EXPONENT);
        IntVector one = IntVector.broadcast(INTS, 1);
        IntVector nonFinite = IntVector.zero(INTS);
        int end = count - count % STEP;
        for (int i = 0; i < end; i += STEP) {
            ShortVector bits = ShortVector.fromMemorySegment(SHORTS, src, srcOffset + 2L * i, ByteOrder.LITTLE_ENDIAN);
            // S2I sign-extends; the shift pushes the extension bits out again, as in Bf16.toFloat.
            IntVector wide = ((IntVector) bits.convertShape(VectorOperators.S2I, INTS, 0))
                    .lanewise(VectorOperators.LSHL, 16);
            wide.reinterpretAsFloats().intoArray(dst, at + i);
            // All exponent bits set is exactly NaN or ±Inf.
            nonFinite = nonFinite.add(one, wide.and(exponent).compare(VectorOperators.EQ, exponent));
        }
        return nonFinite.reduceLanes(VectorOperators.ADD);
    }

    /**
     * Narrows {@code src[from, from + count - count % STEP)} into {@code dst} at {@code dstOffset} as
     * {@link Bf16#fromFloat} does; the caller narrows the rest.
     */
    static void encode(float[] src, int from, int count, MemorySegment dst, long dstOffset) {
        int end = count - count % STEP;
        for (int i = 0; i < end; i += STEP) {
            IntVector u = FloatVector.fromArray(FLOATS, src, from + i).reinterpretAsInts();
            VectorMask<Integer> nan = u.and(0x7FFF_FFFF).compare(VectorOperators.GT, 0x7F80_0000);
            // Round to nearest even, as Bf16.fromFloat: + 0x7FFF, + 1 when the kept half is odd, keep the top half.
            IntVector rounded = u.add(0x7FFF)
                    .add(u.lanewise(VectorOperators.LSHR, 16).and(1))
                    .lanewise(VectorOperators.LSHR, 16)
                    .blend(Bf16.CANONICAL_NAN, nan);
            // I2S keeps the low 16 bits, as the (short) cast does.
            ((ShortVector) rounded.convertShape(VectorOperators.I2S, SHORTS, 0))
                    .intoMemorySegment(dst, dstOffset + 2L * i, ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * Whether the Vector API can load from and store to the segment: native memory (mapped files) or a heap
     * segment over a {@code byte[]}; it refuses heap segments over other arrays.
     */
    static boolean reaches(MemorySegment segment) {
        return segment.isNative() || segment.heapBase().orElse(null) instanceof byte[];
    }
}
