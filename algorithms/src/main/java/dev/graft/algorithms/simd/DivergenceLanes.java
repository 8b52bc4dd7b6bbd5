package dev.graft.algorithms.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two loops of a row's KL divergence between softmaxes, {@code KL(softmax(x) + ε ‖ softmax(b) + ε)}, in
 * vectors of four doubles. Only when {@link Simd#ENABLED}. Each element's operations are {@link ExpLog}'s and the
 * caller's scalar loops' ({@code dev.graft.algorithms.kernels.RowDivergence}), and sums go to eight interleaved
 * accumulators (element {@code i} to accumulator {@code i % 8}, in increasing {@code i}), so both forms give the
 * same bits.
 */
public final class DivergenceLanes {
    /** Accumulators per sum. */
    public static final int ACCUMULATORS = 8;
    private static final VectorSpecies<Double> FOUR_DOUBLES = DoubleVector.SPECIES_256;

    private DivergenceLanes() {
    }

    /** The largest of {@code v[from, from + count)}, NaN if one is NaN: {@link Math#max}'s, in any order. */
    public static float max(float[] v, int from, int count) {
        VectorSpecies<Float> species = Lanes.FLOATS;
        FloatVector max = FloatVector.broadcast(species, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i <= count - species.length(); i += species.length()) {
            max = max.max(FloatVector.fromArray(species, v, from + i));
        }
        float m = max.reduceLanes(VectorOperators.MAX);
        for (; i < count; i++) {
            m = Math.max(m, v[from + i]);
        }
        return m;
    }

    /**
     * {@code e[i] = exp(v[from + i] − max)} ({@link ExpLog#exp}, the difference in double) for {@code i} in
     * {@code [0, count)}, each added to {@code sums[i % 8]}.
     */
    public static void exponentials(float[] v, int from, int count, float max, double[] e, double[] sums) {
        // The floats to doubles first, in a loop C2 vectorises by itself (vcvtps2pd); then four elements a step,
        // to accumulators 0–3 and 4–7 in turn: one call site of exp, which C2 inlines (two would exceed its node
        // budget, and the vectors would be boxed).
        for (int j = 0; j < count; j++) {
            e[j] = v[from + j];
        }
        DoubleVector current = DoubleVector.fromArray(FOUR_DOUBLES, sums, 0);
        DoubleVector next = DoubleVector.fromArray(FOUR_DOUBLES, sums, 4);
        DoubleVector m = DoubleVector.broadcast(FOUR_DOUBLES, max);
        int end = count - count % ACCUMULATORS;
        int i = 0;
        for (; i < end; i += 4) {
            DoubleVector ex = exp(DoubleVector.fromArray(FOUR_DOUBLES, e, i).sub(m));
            ex.intoArray(e, i);
            DoubleVector sum = current.add(ex);
            current = next;
            next = sum;
        }
        current.intoArray(sums, 0);
        next.intoArray(sums, 4);
        for (; i < count; i++) {
            e[i] = ExpLog.exp((double) v[from + i] - max);
            sums[i % ACCUMULATORS] += e[i];
        }
    }

    /**
     * Adds {@code p·ln(p/q)} to {@code sums[i % 8]} for {@code i} in {@code [0, count)}, with
     * {@code p = fma(ex[i], invX, eps)} and {@code q = fma(eb[i], invB, eps)} ({@link ExpLog#log}).
     */
    public static void divergence(double[] ex, double[] eb, int count, double invX, double invB, double eps,
                                  double[] sums) {
        // Four elements a step, to accumulators 0–3 and 4–7 in turn, as in exponentials.
        DoubleVector current = DoubleVector.fromArray(FOUR_DOUBLES, sums, 0);
        DoubleVector next = DoubleVector.fromArray(FOUR_DOUBLES, sums, 4);
        int end = count - count % ACCUMULATORS;
        int i = 0;
        for (; i < end; i += 4) {
            DoubleVector p = DoubleVector.fromArray(FOUR_DOUBLES, ex, i).fma(invX, eps);
            DoubleVector q = DoubleVector.fromArray(FOUR_DOUBLES, eb, i).fma(invB, eps);
            DoubleVector sum = p.fma(log(p.div(q)), current);
            current = next;
            next = sum;
        }
        current.intoArray(sums, 0);
        next.intoArray(sums, 4);
        for (; i < count; i++) {
            double p = Math.fma(ex[i], invX, eps);
            double q = Math.fma(eb[i], invB, eps);
            sums[i % ACCUMULATORS] = Math.fma(p, ExpLog.log(p / q), sums[i % ACCUMULATORS]);
        }
    }

    /** {@link ExpLog#exp}, lane by lane. */
    static DoubleVector exp(DoubleVector t) {
        t = t.max(ExpLog.EXP_MIN);
        DoubleVector shifted = t.mul(ExpLog.INV_LN2).add(ExpLog.SHIFTER);
        DoubleVector k = shifted.sub(ExpLog.SHIFTER);
        DoubleVector r = k.fma(DoubleVector.broadcast(FOUR_DOUBLES, -ExpLog.LN2_HI), t);
        r = k.fma(DoubleVector.broadcast(FOUR_DOUBLES, -ExpLog.LN2_LO), r);
        double[] c = ExpLog.EXP_COEFFICIENTS;
        DoubleVector p = DoubleVector.broadcast(FOUR_DOUBLES, c[13]);
        for (int n = 12; n >= 0; n--) {
            p = p.fma(r, DoubleVector.broadcast(FOUR_DOUBLES, c[n]));
        }
        LongVector twoToK = ((LongVector) shifted.reinterpretAsLongs()).sub(ExpLog.SHIFTER_BITS - 1023)
                .lanewise(VectorOperators.LSHL, 52);
        return p.mul(twoToK.reinterpretAsDoubles());
    }

    /** {@link ExpLog#log}, lane by lane. */
    static DoubleVector log(DoubleVector r) {
        LongVector bits = (LongVector) r.reinterpretAsLongs();
        LongVector k = bits.sub(ExpLog.SQRT_HALF_BITS).lanewise(VectorOperators.ASHR, 52);
        DoubleVector m = (DoubleVector) bits.sub(k.lanewise(VectorOperators.LSHL, 52)).reinterpretAsDoubles();
        DoubleVector dk = ((DoubleVector) k.add(ExpLog.SHIFTER_BITS).reinterpretAsDoubles()).sub(ExpLog.SHIFTER);
        DoubleVector f = m.sub(1);
        DoubleVector s = f.div(f.add(2));
        DoubleVector z = s.mul(s);
        double[] c = ExpLog.LOG_COEFFICIENTS;
        DoubleVector series = DoubleVector.broadcast(FOUR_DOUBLES, c[8]);
        for (int i = 7; i >= 0; i--) {
            series = series.fma(z, DoubleVector.broadcast(FOUR_DOUBLES, c[i]));
        }
        DoubleVector big = series.mul(z);
        DoubleVector halfSquare = f.mul(0.5).mul(f);
        DoubleVector low = s.fma(halfSquare.add(big), dk.mul(ExpLog.LN2_LO));
        return dk.mul(ExpLog.LN2_HI).add(f.sub(halfSquare.sub(low)));
    }
}
