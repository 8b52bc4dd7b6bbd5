package dev.graft.algorithms.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/** Gathering the offsets of the elements a magnitude cut keeps, in vectors. Only when {@link Simd#ENABLED}. */
public final class GatherLanes {
    private GatherLanes() {
    }

    /**
     * Writes to {@code index} the offsets in {@code [0, count)} of the finite values of
     * {@code values[from, from + count)} with {@code |x| >= least}, in order, and counts those with
     * {@code |x| == tie}. {@code index} needs room for {@code count} plus {@link #slack()}.
     *
     * @return the tie count in the high 32 bits, the number gathered in the low 32
     */
    public static long atLeast(float[] values, int from, int count, float least, float tie, int[] index) {
        int lanes = Lanes.FLOATS.length();
        IntVector offsets = IntVector.zero(Lanes.INTS).addIndex(1);
        int m = 0;
        int seen = 0;
        int i = 0;
        for (; i <= count - lanes; i += lanes) {
            FloatVector magnitude = FloatVector.fromArray(Lanes.FLOATS, values, from + i).abs();
            VectorMask<Float> kept = magnitude.compare(VectorOperators.GE, least);
            seen += magnitude.compare(VectorOperators.EQ, tie).trueCount();
            offsets.add(i).compress(kept.cast(Lanes.INTS)).intoArray(index, m);
            m += kept.trueCount();
        }
        for (; i < count; i++) {
            float magnitude = Math.abs(values[from + i]);
            index[m] = i;
            m += magnitude >= least ? 1 : 0;
            seen += magnitude == tie ? 1 : 0;
        }
        return (long) seen << 32 | m;
    }

    /** Room {@link #atLeast} needs past the elements it gathers. */
    public static int slack() {
        return Lanes.FLOATS.length();
    }
}
