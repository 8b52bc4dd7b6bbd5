package dev.graft.algorithms.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/** The vector shapes the loops use; loaded only once the incubator module is known to be present. */
final class Lanes {
    static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** As many ints as {@link #FLOATS} has floats, so that a float vector's bits are one int vector. */
    static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    /** Half as many longs as {@link #FLOATS} has floats: two long vectors per float vector. */
    static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;

    private Lanes() {
    }

    static boolean wideEnough() {
        return FLOATS.vectorBitSize() >= 256 && INTS.length() == FLOATS.length()
                && 2 * LONGS.length() == FLOATS.length();
    }
}
