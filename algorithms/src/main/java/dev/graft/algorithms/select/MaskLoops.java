package dev.graft.algorithms.select;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The masks' hot loops on the floats' bits, written so that C2 vectorises them: the bits are read and written as
 * ints through a segment over the float array ({@code Float.floatToRawIntBits} and {@code intBitsToFloat} stop
 * vectorisation), and each loop is a static method given every bound as an argument. Measured per element on
 * 16K-element blocks: 0.06–0.3 ns against 0.5–0.9 ns with the conversions, and against 1.2–4 ns for the same loop as
 * an instance method reading its bounds from fields.
 */
final class MaskLoops {
    private MaskLoops() {
    }

    /**
     * Whether every element of {@code values[from, from + count)} whose key is the cut {@code key} gets the same
     * answer: the cut's tie quota is used up already, or all of the chunk's ties fit in what is left of it. Then
     * one branch-free loop can decide the whole chunk; the ties are counted (a vectorised loop) only when the
     * chunk is longer than the quota left.
     */
    static boolean tiesSettled(long ties, long quota, float[] values, int from, int count, int key) {
        return ties >= quota || count <= quota - ties || countEqual(values, from, count, key) <= quota - ties;
    }

    /** How many of {@code values[from, from + count)} have the magnitude key {@code key}. */
    static int countEqual(float[] values, int from, int count, int key) {
        MemorySegment bits = MemorySegment.ofArray(values);
        int tied = 0;
        for (int i = from; i < from + count; i++) {
            tied += KeyCompare.equal(MagnitudeKey.ofBits(bits.getAtIndex(ValueLayout.JAVA_INT, i)), key);
        }
        return tied;
    }

    /**
     * Sets to +0 each of {@code values[from, from + count)} whose magnitude key is not strictly between
     * {@code lowBound} and {@code highBound}; returns how many had the key {@code tieKey} (counted before zeroing).
     */
    static int zeroOutside(float[] values, int from, int count, int lowBound, int highBound, int tieKey) {
        MemorySegment bits = MemorySegment.ofArray(values);
        int tied = 0;
        for (int i = from; i < from + count; i++) {
            int v = bits.getAtIndex(ValueLayout.JAVA_INT, i);
            int key = MagnitudeKey.ofBits(v);
            int kept = KeyCompare.above(key, lowBound) & KeyCompare.below(key, highBound);
            bits.setAtIndex(ValueLayout.JAVA_INT, i, v & -kept);
            tied += KeyCompare.equal(key, tieKey);
        }
        return tied;
    }
}
