package dev.graft.formats.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/** The machine's preferred vector shape; loaded only once the incubator module is known to be present. */
final class VectorWidth {
    private VectorWidth() {
    }

    /** At least 256 bits, with as many int lanes as float lanes (so a float vector's bits are one int vector). */
    static boolean wideEnough() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256
                && IntVector.SPECIES_PREFERRED.length() == FloatVector.SPECIES_PREFERRED.length();
    }
}
