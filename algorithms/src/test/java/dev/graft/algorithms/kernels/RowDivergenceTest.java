package dev.graft.algorithms.kernels;

import dev.graft.algorithms.simd.DivergenceLanes;
import dev.graft.algorithms.simd.Simd;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The row KL of {@code arcee_fusion}: accurate, and the same bits in vectors as in the scalar loops. */
class RowDivergenceTest {
    private static final double EPS = 1e-8;

    /** A base row and a fine-tune of it changed by ~N(0, spread²). */
    private static float[][] rows(SplittableRandom random, int n, double spread) {
        float[] b = new float[n];
        float[] x = new float[n];
        for (int j = 0; j < n; j++) {
            b[j] = (float) (random.nextGaussian() * 0.02);
            x[j] = (float) (b[j] + random.nextGaussian() * spread);
        }
        return new float[][] {x, b};
    }

    /**
     * The KL of the two softmaxes from {@link StrictMath}'s exponentials and logarithms, each term and the sum
     * exact in 40 digits: what {@link RowDivergence} approximates, free of its own rounding order.
     */
    private static double reference(float[] x, float[] b) {
        double[] p = softmax(x);
        double[] q = softmax(b);
        MathContext mc = new MathContext(40);
        BigDecimal kl = BigDecimal.ZERO;
        for (int j = 0; j < x.length; j++) {
            BigDecimal pj = new BigDecimal(p[j]).add(new BigDecimal(EPS), mc);
            BigDecimal qj = new BigDecimal(q[j]).add(new BigDecimal(EPS), mc);
            // ln(p/q) = ln p − ln q, each in double: the reference's own error is 1e-16 absolute per term.
            double lnRatio = StrictMath.log(pj.doubleValue()) - StrictMath.log(qj.doubleValue());
            kl = kl.add(pj.multiply(new BigDecimal(lnRatio), mc), mc);
        }
        return Math.max(kl.doubleValue(), 0);
    }

    private static double[] softmax(float[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (float f : v) {
            max = Math.max(max, f);
        }
        MathContext mc = new MathContext(40);
        double[] e = new double[v.length];
        BigDecimal z = BigDecimal.ZERO;
        for (int j = 0; j < v.length; j++) {
            e[j] = StrictMath.exp(v[j] - max);
            z = z.add(new BigDecimal(e[j]), mc);
        }
        double[] p = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            p[j] = new BigDecimal(e[j]).divide(z, mc).doubleValue();
        }
        return p;
    }

    @Test
    void agreesWithAnExactlySummedReference() {
        SplittableRandom random = new SplittableRandom(5);
        for (int n : new int[] {1, 7, 8, 9, 64, 4096}) {
            for (double spread : new double[] {1e-4, 1e-3, 0.02, 1}) {
                float[][] r = rows(random, n, spread);
                double actual = new RowDivergence(n, EPS).of(r[0], r[1], 0);
                double expected = reference(r[0], r[1]);
                // Both are within ~1e-16 per term of the true sum, whose size for a row of 4096 is ~spread²·...;
                // what can differ is that absolute rounding, summed over the row.
                assertThat(actual).as("n %d, spread %s", n, spread).isCloseTo(expected,
                        org.assertj.core.data.Offset.offset(n * 4e-16));
                if (n == 1) {
                    assertThat(actual).isEqualTo(0.0);  // softmax of one value is 1 in both rows
                }
            }
        }
    }

    @Test
    void equalRowsHaveKlZeroAndANaNMakesItNaN() {
        float[] b = rows(new SplittableRandom(6), 100, 0)[1];
        assertThat(new RowDivergence(100, EPS).of(b, b, 0)).isEqualTo(0.0);
        float[] x = b.clone();
        x[37] = Float.NaN;
        assertThat(new RowDivergence(100, EPS).of(x, b, 0)).isNaN();
        assertThat(new RowDivergence(100, EPS).of(b, x, 0)).isNaN();
    }

    @Test
    void minusInfinityIsAProbabilityOfZero() {
        float[][] r = rows(new SplittableRandom(7), 50, 0.1);
        r[0][3] = Float.NEGATIVE_INFINITY;
        r[0][3 + 8] = -1e30f;
        double kl = new RowDivergence(50, EPS).of(r[0], r[1], 0);
        assertThat(kl).isFinite().isCloseTo(reference(r[0], r[1]), org.assertj.core.data.Offset.offset(1e-13));
    }

    @Test
    void vectorLoopsGiveTheScalarLoopsBits() {
        assumeTrue(Simd.ENABLED);
        SplittableRandom random = new SplittableRandom(8);
        for (int n : new int[] {1, 5, 8, 13, 16, 4099}) {
            float[][] r = rows(random, n + 3, 0.01);
            r[0][2] = -1e30f;
            for (int from : new int[] {0, 3}) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, r[0][from + j]);
                }
                double[] e1 = new double[n];
                double[] e2 = new double[n];
                double[] s1 = new double[DivergenceLanes.ACCUMULATORS];
                double[] s2 = new double[DivergenceLanes.ACCUMULATORS];
                RowDivergence.exponentialsScalar(r[0], from, n, max, e1, s1);
                DivergenceLanes.exponentials(r[0], from, n, max, e2, s2);
                assertThat(bits(e2)).as("exponentials, n %d from %d", n, from).isEqualTo(bits(e1));
                assertThat(bits(s2)).as("sums, n %d from %d", n, from).isEqualTo(bits(s1));

                double[] eb = new double[n];
                RowDivergence.exponentialsScalar(r[1], from, n, max, eb, new double[DivergenceLanes.ACCUMULATORS]);
                double[] k1 = new double[DivergenceLanes.ACCUMULATORS];
                double[] k2 = new double[DivergenceLanes.ACCUMULATORS];
                RowDivergence.divergenceScalar(e1, eb, n, 1 / 3.0, 1 / 5.0, EPS, k1);
                DivergenceLanes.divergence(e1, eb, n, 1 / 3.0, 1 / 5.0, EPS, k2);
                assertThat(bits(k2)).as("divergence, n %d from %d", n, from).isEqualTo(bits(k1));
            }
        }
    }

    private static long[] bits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
