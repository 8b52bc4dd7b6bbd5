package dev.graft.algorithms.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CounterRngTest {

    private static final String NAME = "model.layers.0.self_attn.q_proj.weight";

    @Test
    void reproducesGoldenValuesOfTheDocumentedFunction() {
        // From an independent Python implementation of the Javadoc's formulas.
        CounterRng rng = CounterRng.forTensor(42, NAME, 1);

        assertThat(rng.key()).isEqualTo(0x938A5B42DAAF3972L);
        assertThat(rng.bits(0)).isEqualTo(0xFD2609EAAA88A91AL);
        assertThat(rng.bits(1)).isEqualTo(0x8EB0ABA84D755096L);
        assertThat(rng.bits(123_456_789)).isEqualTo(0xF663DDD5DBFB4F6EL);
        assertThat(rng.bits((1L << 40) + 3)).isEqualTo(0x95040C19E20E9B1DL);
        assertThat(rng.uniformDouble(0)).isEqualTo(0.9888616750636482);
        assertThat(rng.uniformFloat(0)).isEqualTo(0.988861620426178f);
        assertThat(rng.uniformDouble(123_456_789)).isEqualTo(0.962461342536682);
        assertThat(rng.uniformFloat(123_456_789)).isEqualTo(0.9624612927436829f);
        assertThat(CounterRng.forTensor(-1, "lm_head.weight", 7).uniformDouble(1)).isEqualTo(0.08952872432277026);
    }

    @Test
    void isSplitMix64SeededWithTheKey() {
        CounterRng rng = CounterRng.ofKey(0x1234_5678_9ABC_DEF0L);
        SplittableRandom reference = new SplittableRandom(0x1234_5678_9ABC_DEF0L);
        for (int i = 0; i < 1_000; i++) {
            assertThat(rng.bits(i)).isEqualTo(reference.nextLong());
        }
    }

    @Test
    void givesTheSameNumbersWhateverTheChunking() {
        CounterRng rng = CounterRng.forTensor(7, NAME, 0);
        int n = 10_000;
        long first = 5_000_000_000L; // indices past 2^32 too
        float[] floats = new float[n];
        double[] doubles = new double[n];
        boolean[] kept = new boolean[n];
        SplittableRandom chunking = new SplittableRandom(1);
        for (int from = 0; from < n; ) {
            int count = Math.min(n - from, chunking.nextInt(1, 300));
            rng.fillUniform(first + from, floats, from, count);
            rng.fillUniform(first + from, doubles, from, count);
            rng.fillBernoulli(first + from, 0.3, kept, from, count);
            from += count;
        }
        for (int i = 0; i < n; i++) {
            assertThat(floats[i]).isEqualTo(rng.uniformFloat(first + i));
            assertThat(doubles[i]).isEqualTo(rng.uniformDouble(first + i));
            assertThat(kept[i]).isEqualTo(rng.bernoulli(first + i, 0.3));
            // The float is the double cut to its top 24 bits.
            assertThat(floats[i]).isEqualTo((float) (Math.floor(doubles[i] * 0x1p24) * 0x1p-24));
        }
    }

    @Test
    void staysInTheUnitIntervalAtTheExtremes() {
        // Keys chosen so that bits(0) is all ones and all zeros: mix64 is a bijection with mix64(0) = 0, and the
        // state of element 0 is key + GAMMA.
        CounterRng zero = CounterRng.ofKey(-SplitMix64.GAMMA);

        assertThat(zero.bits(0)).isZero();
        assertThat(zero.uniformDouble(0)).isZero();
        assertThat(zero.uniformFloat(0)).isZero();
        assertThat(zero.bernoulli(0, 0.0)).isFalse();
        assertThat(zero.bernoulli(0, Double.MIN_VALUE)).isTrue();
        CounterRng rng = CounterRng.forTensor(1, NAME, 0);
        for (long i = 0; i < 100_000; i++) {
            assertThat(rng.uniformFloat(i)).isBetween(0f, Math.nextDown(1f));
            assertThat(rng.uniformDouble(i)).isBetween(0.0, Math.nextDown(1.0));
        }
    }

    @Test
    void keepsWithProbabilityPAndHandlesTheEdges() {
        CounterRng rng = CounterRng.forTensor(42, NAME, 1);
        int n = 10_000_000;
        boolean[] kept = new boolean[1 << 16];
        long count = 0;
        for (int from = 0; from < n; from += kept.length) {
            int size = Math.min(kept.length, n - from);
            rng.fillBernoulli(from, 0.3, kept, 0, size);
            for (int i = 0; i < size; i++) {
                count += kept[i] ? 1 : 0;
            }
        }
        // Within 0.1% of p. Standard error of the mean: 1.45e-4; this seed gives 0.2998166 (1.3 standard errors).
        assertThat(count / (double) n).isCloseTo(0.3, within(0.3 * 0.001));

        for (int i = 0; i < 1_000; i++) {
            assertThat(rng.bernoulli(i, 0.0)).isFalse();
            assertThat(rng.bernoulli(i, -1.0)).isFalse();
            assertThat(rng.bernoulli(i, 1.0)).isTrue();
            assertThat(rng.bernoulli(i, 2.0)).isTrue();
        }
        assertThatThrownBy(() -> rng.bernoulli(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rng.fillBernoulli(0, Double.NaN, kept, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rng.fillUniform(0, new float[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void decidesBernoulliTrialsExactlyAsTheDoubleComparison() {
        CounterRng rng = CounterRng.forTensor(9, NAME, 3);
        double[] ps = {0.3, 0.5, 0.9, 1e-9, Double.MIN_VALUE, Math.nextDown(1.0), 0x1p-53, 0.25 + 0x1p-53};
        boolean[] bulk = new boolean[100_000];
        for (double p : ps) {
            rng.fillBernoulli(0, p, bulk, 0, bulk.length);
            for (int i = 0; i < bulk.length; i++) {
                boolean expected = rng.uniformDouble(i) < p;
                if (bulk[i] != expected || rng.bernoulli(i, p) != expected) {
                    assertThat(bulk[i]).as("p = %s, index %d", p, i).isEqualTo(expected);
                    assertThat(rng.bernoulli(i, p)).as("p = %s, index %d", p, i).isEqualTo(expected);
                }
            }
        }
        // A draw exactly at p: the state of element 0 is key + GAMMA, and mix64 is a bijection, so pick the key
        // whose first draw is m = 2^52, i.e. uniformDouble(0) = 0.5, through the inverse of the finaliser.
        CounterRng half = CounterRng.ofKey(unmix64(1L << 63) - SplitMix64.GAMMA);
        assertThat(half.uniformDouble(0)).isEqualTo(0.5);
        assertThat(half.bernoulli(0, 0.5)).isFalse();
        assertThat(half.bernoulli(0, Math.nextUp(0.5))).isTrue();
    }

    /** The inverse of {@link SplitMix64#mix64}. */
    private static long unmix64(long z) {
        z = unshift(z, 31);
        z *= inverse(0x94D0_49BB_1331_11EBL);
        z = unshift(z, 27);
        z *= inverse(0xBF58_476D_1CE4_E5B9L);
        return unshift(z, 30);
    }

    private static long unshift(long z, int shift) {
        long x = z;
        for (int i = 0; i < 64 / shift + 1; i++) {
            x = z ^ (x >>> shift);
        }
        return x;
    }

    /** Multiplicative inverse of an odd number modulo 2^64 (Newton's iteration). */
    private static long inverse(long a) {
        long x = a;
        for (int i = 0; i < 6; i++) {
            x *= 2 - a * x;
        }
        return x;
    }

    @Test
    void fillsUniformBucketsEvenly() {
        // Chi-square over 1,000 buckets of 1,000,000 floats: 999 degrees of freedom, mean 999, sd 44.7.
        CounterRng rng = CounterRng.forTensor(3, NAME, 2);
        int n = 1_000_000;
        float[] u = new float[n];
        rng.fillUniform(0, u, 0, n);
        long[] buckets = new long[1_000];
        for (float x : u) {
            buckets[(int) (x * 1_000)]++;
        }

        assertThat(chiSquare(buckets, n)).isBetween(999 - 5 * 44.7, 999 + 5 * 44.7);
    }

    @Test
    void drawsAdjacentIndicesIndependently() {
        // Pairs (u[i], u[i + 1]) on a 32 x 32 grid: 1,023 degrees of freedom, sd 45.2; and their correlation.
        CounterRng rng = CounterRng.forTensor(3, NAME, 0);
        int n = 1_000_001;
        double[] u = new double[n];
        rng.fillUniform(0, u, 0, n);
        long[] grid = new long[32 * 32];
        for (int i = 0; i + 1 < n; i++) {
            grid[(int) (u[i] * 32) * 32 + (int) (u[i + 1] * 32)]++;
        }

        assertThat(chiSquare(grid, n - 1)).isBetween(1_023 - 5 * 45.2, 1_023 + 5 * 45.2);
        assertThat(correlation(u, 0, u, 1, n - 1)).isCloseTo(0.0, within(5 / Math.sqrt(n)));
    }

    @Test
    void drawsDifferentModelsTensorsAndSeedsIndependently() {
        int n = 1_000_000;
        double[][] streams = {
                uniforms(CounterRng.forTensor(42, NAME, 0), n),
                uniforms(CounterRng.forTensor(42, NAME, 1), n),
                uniforms(CounterRng.forTensor(42, NAME, 2), n),
                uniforms(CounterRng.forTensor(42, "model.layers.0.self_attn.k_proj.weight", 0), n),
                uniforms(CounterRng.forTensor(43, NAME, 0), n),
        };
        for (int a = 0; a < streams.length; a++) {
            for (int b = a + 1; b < streams.length; b++) {
                assertThat(correlation(streams[a], 0, streams[b], 0, n)).as("streams %d and %d", a, b)
                        .isCloseTo(0.0, within(5 / Math.sqrt(n)));
                // Joint Bernoulli(0.5): both kept a quarter of the time if independent (sd 4.3e-4).
                long both = 0;
                for (int i = 0; i < n; i++) {
                    both += streams[a][i] < 0.5 && streams[b][i] < 0.5 ? 1 : 0;
                }
                assertThat(both / (double) n).as("streams %d and %d", a, b).isCloseTo(0.25, within(0.0025));
            }
        }
    }

    private static double[] uniforms(CounterRng rng, int n) {
        double[] u = new double[n];
        rng.fillUniform(0, u, 0, n);
        return u;
    }

    private static double chiSquare(long[] counts, long total) {
        double expected = total / (double) counts.length;
        double chi = 0;
        for (long c : counts) {
            chi += (c - expected) * (c - expected) / expected;
        }
        return chi;
    }

    private static double correlation(double[] x, int xFrom, double[] y, int yFrom, int n) {
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < n; i++) {
            sx += x[xFrom + i];
            sy += y[yFrom + i];
        }
        double mx = sx / n;
        double my = sy / n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[xFrom + i] - mx;
            double dy = y[yFrom + i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    @Test
    void keepBelowKeepsExactlyWhatTheFloatComparisonKeepsBitForBit() {
        CounterRng rng = CounterRng.forTensor(7, NAME, 2);
        SplittableRandom r = new SplittableRandom(11);
        float[] probabilities = {0.2f, 0.5f, 0.9f, 1e-7f, 0x1p-24f, 0x1.8p-24f, 0.3333f, 0f, -0f, 1f, 1.5f, -0.25f,
                Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Math.nextDown(1f)};
        int n = 20_000;
        float[] x = new float[n + 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (i % 13) {
                case 0 -> -0f;
                case 1 -> Float.intBitsToFloat(0x7fc0_1234);
                case 2 -> Float.NEGATIVE_INFINITY;
                case 3 -> Float.MIN_VALUE;
                default -> (float) r.nextGaussian();
            };
        }
        for (float p : probabilities) {
            long first = r.nextLong(1L << 40);
            float[] got = x.clone();
            rng.keepBelow(first, p, got, 3, n);
            for (int i = 0; i < x.length; i++) {
                float want = i < 3 || i >= 3 + n ? x[i] : rng.uniformFloat(first + i - 3) < p ? x[i] : 0f;
                assertThat(Float.floatToRawIntBits(got[i])).as("p = %s, element %d", p, i)
                        .isEqualTo(Float.floatToRawIntBits(want));
            }
        }
        assertThatThrownBy(() -> rng.keepBelow(0, 0.5f, new float[4], 2, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void keepBelowByThresholdsKeepsExactlyWhatTheDoubleComparisonKeepsBitForBit() {
        CounterRng rng = CounterRng.forTensor(3, NAME, 1);
        SplittableRandom r = new SplittableRandom(5);
        // Probabilities next to multiples of 2^-53 and the ends, where rounding the comparison would show.
        double[] p = {0.1, 0.5, 0.9, 0x1p-53, 0x1.8p-53, Math.nextUp(0.25), Math.nextDown(0.25), 0.25, 0, -1, 1, 2,
                Math.nextDown(1.0), 1e-300, 0.4 + 0.2 * (7 / 2047.0)};
        long[] thresholds = new long[p.length];
        for (int i = 0; i < p.length; i++) {
            thresholds[i] = CounterRng.threshold(p[i]);
        }
        int n = 30_000;
        int[] which = new int[n];
        float[] x = new float[n + 7];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 11 == 0 ? Float.intBitsToFloat(0xffc0_0001) : (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            which[i] = r.nextInt(p.length);
        }
        long first = r.nextLong(1L << 40);
        float[] got = x.clone();
        rng.keepBelow(first, thresholds, which, got, 4, n);
        long kept = 0;
        for (int i = 0; i < x.length; i++) {
            boolean inside = i >= 4 && i < 4 + n;
            float want = !inside ? x[i] : rng.uniformDouble(first + i - 4) < p[which[i - 4]] ? x[i] : 0f;
            assertThat(Float.floatToRawIntBits(got[i])).as("element %d", i).isEqualTo(Float.floatToRawIntBits(want));
            kept += inside && rng.uniformDouble(first + i - 4) < p[which[i - 4]] ? 1 : 0;
        }
        // The mean probability, clamped to [0, 1], is 0.377: about 11,300 of 30,000 kept.
        assertThat(kept).isBetween(10_800L, 11_800L);
        // At the boundary: a probability equal to the draw itself drops (u < p is false), one 2^-53 above keeps.
        for (long index = 100; index < 110; index++) {
            double u = rng.uniformDouble(index);
            long[] edge = {CounterRng.threshold(u), CounterRng.threshold(u + 0x1p-53)};
            float[] one = {1f, 1f};
            rng.keepBelow(index, edge, new int[] {0}, one, 0, 1);
            rng.keepBelow(index, edge, new int[] {1}, one, 1, 1);
            assertThat(one).as("draw %s", u).containsExactly(0f, 1f);
        }
        assertThat(CounterRng.threshold(0.5)).isEqualTo(1L << 52);
        assertThat(CounterRng.threshold(Math.nextUp(0.0))).isEqualTo(1);
        assertThatThrownBy(() -> CounterRng.threshold(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("probability is NaN");
        assertThatThrownBy(() -> rng.keepBelow(0, thresholds, new int[2], new float[4], 0, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void keepBitsRecordsTheDecisionsKeepBelowMakes() {
        CounterRng rng = CounterRng.forTensor(9, NAME, 0);
        SplittableRandom r = new SplittableRandom(3);
        long[] thresholds = {CounterRng.threshold(0.2), CounterRng.threshold(0.5), CounterRng.threshold(0.8)};
        int n = 1_000;
        int[] which = new int[n];
        float[] ones = new float[n];
        for (int j = 0; j < n; j++) {
            which[j] = r.nextInt(thresholds.length);
            ones[j] = 1f;
        }
        rng.keepBelow(500, thresholds, which, ones, 0, n);
        // Bits 70 .. 1,069 of a set whose other bits are all ones: those stay set.
        long[] kept = new long[20];
        java.util.Arrays.fill(kept, -1L);
        rng.keepBits(500, thresholds, which, n, kept, 70);
        for (int b = 0; b < kept.length * 64; b++) {
            boolean set = (kept[b >>> 6] >>> b & 1) != 0;
            boolean want = b < 70 || b >= 70 + n || ones[b - 70] == 1f;
            assertThat(set).as("bit %d", b).isEqualTo(want);
        }
        assertThatThrownBy(() -> rng.keepBits(0, thresholds, which, n, new long[10], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
