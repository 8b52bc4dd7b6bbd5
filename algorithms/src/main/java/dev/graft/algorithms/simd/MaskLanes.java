package dev.graft.algorithms.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/** A magnitude mask applied in place, in vectors. Only when {@link Simd#ENABLED}. */
public final class MaskLanes {
    private MaskLanes() {
    }

    /**
     * Sets to +0 each finite value of {@code values[from, from + count)} whose magnitude is not in
     * {@code [least, limit)}, leaving the others as they are, bit for bit; returns how many had {@code |x| == tie}
     * (counted before zeroing). The same results as the scalar {@code MaskLoops.zeroOutsideFinite}.
     */
    public static int zeroOutside(float[] values, int from, int count, float least, float limit, float tie) {
        int lanes = Lanes.FLOATS.length();
        FloatVector zero = FloatVector.zero(Lanes.FLOATS);
        int tied = 0;
        int i = 0;
        for (; i <= count - lanes; i += lanes) {
            FloatVector x = FloatVector.fromArray(Lanes.FLOATS, values, from + i);
            FloatVector magnitude = x.abs();
            VectorMask<Float> kept = magnitude.compare(VectorOperators.GE, least)
                    .and(magnitude.compare(VectorOperators.LT, limit));
            tied += magnitude.compare(VectorOperators.EQ, tie).trueCount();
            zero.blend(x, kept).intoArray(values, from + i);
        }
        for (; i < count; i++) {
            float x = values[from + i];
            float magnitude = Math.abs(x);
            tied += magnitude == tie ? 1 : 0;
            values[from + i] = magnitude >= least && magnitude < limit ? x : 0f;
        }
        return tied;
    }
}
