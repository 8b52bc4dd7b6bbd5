package dev.graft.algorithms.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Σ x and Σ x² in double, in eight interleaved accumulators, in vectors. Only when {@link Simd#ENABLED}. The
 * accumulation order is fixed (see {@link #addSumAndSquares}) so that a scalar loop can follow it to the bit.
 */
public final class SumLanes {
    /** Accumulators per sum: element {@code from + i} goes to accumulator {@code i % 8}. */
    public static final int ACCUMULATORS = 8;
    private static final VectorSpecies<Float> EIGHT_FLOATS = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> FOUR_DOUBLES = DoubleVector.SPECIES_256;

    private SumLanes() {
    }

    /**
     * Adds each {@code x = values[from + i]} to {@code sums[i % 8]} and {@code fma(x, x, squares[i % 8])} to
     * {@code squares[i % 8]}, for {@code i} in {@code [0, count)}, in increasing {@code i} per accumulator.
     */
    public static void addSumAndSquares(float[] values, int from, int count, double[] sums, double[] squares) {
        DoubleVector s0 = DoubleVector.fromArray(FOUR_DOUBLES, sums, 0);
        DoubleVector s1 = DoubleVector.fromArray(FOUR_DOUBLES, sums, 4);
        DoubleVector q0 = DoubleVector.fromArray(FOUR_DOUBLES, squares, 0);
        DoubleVector q1 = DoubleVector.fromArray(FOUR_DOUBLES, squares, 4);
        int i = 0;
        for (; i <= count - ACCUMULATORS; i += ACCUMULATORS) {
            FloatVector x = FloatVector.fromArray(EIGHT_FLOATS, values, from + i);
            DoubleVector lo = (DoubleVector) x.convertShape(VectorOperators.F2D, FOUR_DOUBLES, 0);
            DoubleVector hi = (DoubleVector) x.convertShape(VectorOperators.F2D, FOUR_DOUBLES, 1);
            s0 = s0.add(lo);
            s1 = s1.add(hi);
            q0 = lo.fma(lo, q0);
            q1 = hi.fma(hi, q1);
        }
        s0.intoArray(sums, 0);
        s1.intoArray(sums, 4);
        q0.intoArray(squares, 0);
        q1.intoArray(squares, 4);
        for (; i < count; i++) {
            double x = values[from + i];
            sums[i % ACCUMULATORS] += x;
            squares[i % ACCUMULATORS] = Math.fma(x, x, squares[i % ACCUMULATORS]);
        }
    }
}
