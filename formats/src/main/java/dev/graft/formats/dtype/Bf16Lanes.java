package dev.graft.formats.dtype;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The bf16 widening of {@link Bf16Codec} on the JDK's incubating Vector API: each 16-bit pattern sign-extended to
 * 32 bits and shifted into the high half, which is its float32 value's bit pattern, and the patterns whose eight
 * exponent bits are all set counted on the way. C2 vectorises neither the scalar widening nor the count.
 *
 * <p>Loaded only when {@link WideningSwitch} has seen the incubator module.
 */
final class Bf16Lanes {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class,
            VectorShape.forBitSize(INTS.vectorBitSize() / 2));
    private static final int LANES = INTS.length();
    private static final short EXPONENT = 0x7F80;

    private Bf16Lanes() {
    }

    /** Whether these loops beat the scalar one here: real 256-bit or wider vectors. */
    static boolean usable() {
        return INTS.vectorBitSize() >= 256 && SHORTS.length() == LANES;
    }

    /** {@code dst[at + i] = bf16 bits[i]} widened, for {@code i < n}; answers how many are NaN or infinite. */
    static int widenCountingNonFinite(short[] bits, int n, float[] dst, int at) {
        int count = 0;
        int i = 0;
        for (int end = n - LANES; i <= end; i += LANES) {
            ShortVector s = ShortVector.fromArray(SHORTS, bits, i);
            count += s.and(EXPONENT).eq(EXPONENT).trueCount();
            ((IntVector) s.convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().intoArray(dst, at + i);
        }
        for (; i < n; i++) {
            int b = bits[i];
            dst[at + i] = Float.intBitsToFloat(b << 16);
            count += (b & EXPONENT) == EXPONENT ? 1 : 0;
        }
        return count;
    }
}
