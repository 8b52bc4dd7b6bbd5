package dev.graft.algorithms.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code arcee_fusion}'s importances of a row, {@code I = (float) (|x − b|·kl)} with the difference and the product
 * in double, in vectors of four. Only when {@link Simd#ENABLED}. Each operation is exact or rounded once as in the
 * scalar loop ({@code dev.graft.algorithms.kernels.ArceeFusionKernel}), so both give the same bits; C2 leaves
 * that loop's float → double → float conversions unvectorised inside the merge.
 */
public final class ImportanceLanes {
    private static final VectorSpecies<Float> FOUR_FLOATS = FloatVector.SPECIES_128;
    private static final VectorSpecies<Double> FOUR_DOUBLES = DoubleVector.SPECIES_256;

    private ImportanceLanes() {
    }

    /**
     * {@code out[at + j] = (float) (|x[from + j] − b[from + j]|·kl)} for {@code j} in {@code [0, count)}, the
     * difference taken in double.
     */
    public static void importances(float[] x, float[] b, int from, int count, double kl, float[] out, int at) {
        int j = 0;
        for (; j <= count - FOUR_FLOATS.length(); j += FOUR_FLOATS.length()) {
            DoubleVector dx = (DoubleVector) FloatVector.fromArray(FOUR_FLOATS, x, from + j)
                    .convertShape(VectorOperators.F2D, FOUR_DOUBLES, 0);
            DoubleVector db = (DoubleVector) FloatVector.fromArray(FOUR_FLOATS, b, from + j)
                    .convertShape(VectorOperators.F2D, FOUR_DOUBLES, 0);
            ((FloatVector) dx.sub(db).abs().mul(kl).convertShape(VectorOperators.D2F, FOUR_FLOATS, 0))
                    .intoArray(out, at + j);
        }
        for (; j < count; j++) {
            out[at + j] = (float) (Math.abs((double) x[from + j] - b[from + j]) * kl);
        }
    }
}
