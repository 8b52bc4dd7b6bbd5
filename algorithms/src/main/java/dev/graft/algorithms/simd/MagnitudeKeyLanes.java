package dev.graft.algorithms.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The radix selection's per-element work on magnitude keys ({@code min(bits & 0x7FFFFFFF, NAN)}, see
 * {@code dev.graft.algorithms.select.MagnitudeKey}), in vectors. Only for use when {@link Simd#ENABLED}.
 */
public final class MagnitudeKeyLanes {
    private static final int NAN_KEY = 0x7F80_0001;

    private MagnitudeKeyLanes() {
    }

    /**
     * Writes to {@code index[0, len)} the pass-1 counter of each of {@code values[from, from + len)}: twice its
     * key's top 16 bits, plus 1 when the low 16 bits are 0. Returns the union of the keys' bits.
     */
    public static int counterIndices(float[] values, int from, int len, int[] index) {
        int lanes = Lanes.FLOATS.length();
        IntVector union = IntVector.zero(Lanes.INTS);
        int i = 0;
        for (; i <= len - lanes; i += lanes) {
            IntVector key = key(FloatVector.fromArray(Lanes.FLOATS, values, from + i));
            storeCounterIndices(key, index, i);
            union = union.or(key);
        }
        int bits = union.reduceLanes(VectorOperators.OR);
        for (; i < len; i++) {
            int key = key(values[from + i]);
            index[i] = counterIndex(key);
            bits |= key;
        }
        return bits;
    }

    /**
     * {@link #counterIndices} of the differences {@code x[i] − base[i]}, {@code i} in {@code [from, from + len)},
     * computed in registers.
     */
    public static int counterIndicesOfDifference(float[] x, float[] base, int from, int len, int[] index) {
        int lanes = Lanes.FLOATS.length();
        IntVector union = IntVector.zero(Lanes.INTS);
        int i = 0;
        for (; i <= len - lanes; i += lanes) {
            IntVector key = key(FloatVector.fromArray(Lanes.FLOATS, x, from + i)
                    .sub(FloatVector.fromArray(Lanes.FLOATS, base, from + i)));
            storeCounterIndices(key, index, i);
            union = union.or(key);
        }
        int bits = union.reduceLanes(VectorOperators.OR);
        for (; i < len; i++) {
            int key = key(x[from + i] - base[from + i]);
            index[i] = counterIndex(key);
            bits |= key;
        }
        return bits;
    }

    /** Twice each key's top 16 bits, plus 1 where its low 16 bits are 0, to {@code index[at …]}. */
    private static void storeCounterIndices(IntVector key, int[] index, int at) {
        VectorMask<Integer> zeroLow = key.and(0xFFFF).compare(VectorOperators.EQ, 0);
        key.lanewise(VectorOperators.LSHR, 15).and(~1).add(1, zeroLow).intoArray(index, at);
    }

    /** The scalar {@link #storeCounterIndices} of one key. */
    private static int counterIndex(int key) {
        return (key >>> 15 & ~1) | (((key & 0xFFFF) - 1) >>> 31);
    }

    /**
     * Writes to {@code out} the low 16 bits of the keys of {@code values[from, from + len)} whose top 16 bits are
     * {@code bucket}, in order; returns how many. {@code out} needs room for {@code len} plus one vector's lanes.
     */
    public static int lowBitsInBucket(float[] values, int from, int len, int bucket, int[] out) {
        int lanes = Lanes.FLOATS.length();
        int m = 0;
        int i = 0;
        for (; i <= len - lanes; i += lanes) {
            IntVector key = key(FloatVector.fromArray(Lanes.FLOATS, values, from + i));
            VectorMask<Integer> in = key.lanewise(VectorOperators.LSHR, 16).compare(VectorOperators.EQ, bucket);
            key.and(0xFFFF).compress(in).intoArray(out, m);
            m += in.trueCount();
        }
        for (; i < len; i++) {
            int key = key(values[from + i]);
            out[m] = key & 0xFFFF;
            m += (key >>> 16) == bucket ? 1 : 0;
        }
        return m;
    }

    /** Room {@link #lowBitsInBucket} needs past the elements it gathers. */
    public static int slack() {
        return Lanes.FLOATS.length();
    }

    private static IntVector key(FloatVector values) {
        return values.reinterpretAsInts().and(0x7FFF_FFFF).min(NAN_KEY);
    }

    /** The magnitude key of one float (see {@code MagnitudeKey.of}). */
    private static int key(float x) {
        return Math.min(Float.floatToRawIntBits(x) & 0x7FFF_FFFF, NAN_KEY);
    }
}
