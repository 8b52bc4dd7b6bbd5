package dev.graft.algorithms.kernels;

import dev.graft.algorithms.simd.ConsensusLanes;
import dev.graft.algorithms.simd.Simd;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TIES' sign election in vectors gives the scalar loops' bits, zeros and ties included, and NaN where they give
 * NaN. (Which NaN, when two meet in an addition, is the hardware's operand order, which the JIT may swap for a
 * commutative operation even in scalar code, so NaNs are compared as one value.)
 */
class ConsensusLanesTest {

    @Test
    void matchesTheScalarLoopsBitForBit() {
        assumeTrue(Simd.ENABLED);
        SplittableRandom random = new SplittableRandom(12);
        int len = 1_000;
        float[] special = {0f, -0f, 1e-3f, -1e-3f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE};
        for (int n = 1; n <= 4; n++) {
            float[][] d = new float[n][len];
            for (float[] dk : d) {
                for (int e = 0; e < len; e++) {
                    int pick = random.nextInt(20);
                    dk[e] = pick < special.length ? special[pick]
                            : pick < 14 ? 0f : (float) (random.nextGaussian() * 1e-2);
                }
            }
            float[] base = new float[len + 5];
            for (int e = 0; e < base.length; e++) {
                base[e] = e % 7 == 0 ? -0f : (float) random.nextGaussian();
            }
            float[][] weightSets = {ones(n), signed(n, random), zeroSum(n)};
            for (float[] w : weightSets) {
                for (float[] scale : new float[][] {ones(n), positive(n, random)}) {
                    for (boolean paper : new boolean[] {false, true}) {
                        for (boolean normalize : new boolean[] {false, true}) {
                            float[] voteWeight = voteWeights(w, paper);
                            float[] signOfW = signsOfWeights(w, paper);
                            float[] expected = new float[len];
                            TaskVectorKernel.consensus(copy(d), w, scale, paper, normalize, 0.7f, base, 5, 0, len,
                                    new float[len], new float[len], new float[len], expected);
                            float[] actual = new float[len];
                            float[][] lanes = copy(d);
                            int done = ConsensusLanes.merge(lanes, w, scale, voteWeight, signOfW, normalize, 0.7f,
                                    base, 5, 0, len, actual);
                            TaskVectorKernel.consensus(lanes, w, scale, paper, normalize, 0.7f, base, 5, done, len,
                                    new float[len], new float[len], new float[len], actual);
                            assertThat(bits(actual)).as("n %d, paper %b, normalize %b", n, paper, normalize)
                                    .isEqualTo(bits(expected));
                        }
                    }
                }
            }
        }
    }

    @Test
    void mergingFromTheInputsMatchesMaskingTheDeltasThenMerging() {
        assumeTrue(Simd.ENABLED);
        SplittableRandom random = new SplittableRandom(21);
        int len = 1_003;
        for (int n = 1; n <= 3; n++) {
            float[][] x = new float[n][len + 7];
            float[] base = new float[len + 7];
            for (int e = 0; e < base.length; e++) {
                // bf16-like values: deltas of a few ulps, with many ties among their magnitudes
                base[e] = Math.round(random.nextGaussian() * 64) / 64f;
                for (int k = 0; k < n; k++) {
                    x[k][e] = base[e] + random.nextInt(-4, 5) / 256f;
                }
            }
            float[] bound = new float[n];
            float[] tie = new float[n];
            for (int k = 0; k < n; k++) {
                bound[k] = k % 2 == 0 ? (k + 1) / 256f : Math.nextUp((k + 1) / 256f); // ties kept, or dropped
                tie[k] = k == 2 ? Float.NaN : (k + 1) / 256f; // NaN: a quota used up, nothing to count
            }
            for (float[] w : new float[][] {ones(n), signed(n, random)}) {
                for (float[] scale : new float[][] {ones(n), positive(n, random)}) {
                    for (boolean paper : new boolean[] {false, true}) {
                        for (boolean normalize : new boolean[] {false, true}) {
                            float[] voteWeight = voteWeights(w, paper);
                            float[] signOfW = signsOfWeights(w, paper);
                            // Reference: the deltas, masked by the scalar mask loop, merged by the scalar loops.
                            float[][] d = new float[n][len];
                            long[] expectedTies = new long[n];
                            for (int k = 0; k < n; k++) {
                                for (int e = 0; e < len; e++) {
                                    d[k][e] = x[k][7 + e] - base[7 + e];
                                    expectedTies[k] += Math.abs(d[k][e]) == tie[k] ? 1 : 0;
                                    d[k][e] = Math.abs(d[k][e]) >= bound[k] ? d[k][e] : 0f;
                                }
                            }
                            float[] expected = new float[len];
                            float[] shifted = java.util.Arrays.copyOfRange(base, 7, 7 + len);
                            TaskVectorKernel.consensus(d, w, scale, paper, normalize, 0.7f, shifted, 0, 0, len,
                                    new float[len], new float[len], new float[len], expected);
                            float[] actual = new float[len];
                            long[] ties = new long[n];
                            ConsensusLanes.mergeMasked(x, base, 7, len, bound, tie, ties, w, scale, voteWeight,
                                    signOfW, normalize, 0.7f, actual, new float[ConsensusLanes.scratchLength(n)]);
                            assertThat(ties).isEqualTo(expectedTies);
                            assertThat(bits(actual)).as("n %d, paper %b, normalize %b", n, paper, normalize)
                                    .isEqualTo(bits(expected));
                        }
                    }
                }
            }
        }
    }

    /** What TaskVectorKernel gives the vector loops: the vote's weights (ones for the paper's election). */
    private static float[] voteWeights(float[] w, boolean paper) {
        float[] v = new float[w.length];
        for (int k = 0; k < w.length; k++) {
            v[k] = paper ? 1f : w[k];
        }
        return v;
    }

    /** sign(wₖ) for the paper's election, else ones. */
    private static float[] signsOfWeights(float[] w, boolean paper) {
        float[] v = new float[w.length];
        for (int k = 0; k < w.length; k++) {
            v[k] = paper ? Math.signum(w[k]) : 1f;
        }
        return v;
    }

    private static float[] ones(int n) {
        float[] w = new float[n];
        java.util.Arrays.fill(w, 1f);
        return w;
    }

    private static float[] signed(int n, SplittableRandom random) {
        float[] w = new float[n];
        for (int k = 0; k < n; k++) {
            w[k] = (float) (random.nextDouble() * 2 - 0.5);
        }
        return w;
    }

    private static float[] zeroSum(int n) {
        float[] w = new float[n];
        for (int k = 0; k < n; k++) {
            w[k] = k % 2 == 0 ? 0.5f : -0.5f;
        }
        return w;
    }

    private static float[] positive(int n, SplittableRandom random) {
        float[] s = new float[n];
        for (int k = 0; k < n; k++) {
            s[k] = (float) (0.5 + random.nextDouble());
        }
        return s;
    }

    private static float[][] copy(float[][] d) {
        float[][] c = new float[d.length][];
        for (int k = 0; k < d.length; k++) {
            c[k] = d[k].clone();
        }
        return c;
    }

    private static int[] bits(float[] values) {
        int[] b = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = Float.floatToIntBits(values[i]); // one bit pattern for every NaN
        }
        return b;
    }
}
