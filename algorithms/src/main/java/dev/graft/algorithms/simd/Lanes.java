package dev.graft.algorithms.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes the loops use; loaded only once the incubator module is known to be present. {@link Simd} is on
 * only where {@link #FLOATS} is at least 256 bits wide and {@link #INTS} has as many lanes.
 */
final class Lanes {
    static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** As many ints as {@link #FLOATS} has floats, so that a float vector's bits are one int vector. */
    static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

    private Lanes() {
    }
}
