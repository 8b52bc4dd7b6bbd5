package dev.graft.algorithms.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * TIES' sign election and disjoint mean, one pass over a block of elements for all models, in vectors. Only when
 * {@link Simd#ENABLED}. Per element, the operations and their order are those of
 * {@code dev.graft.algorithms.kernels.TaskVectorKernel}'s scalar loops, so both give the same bits:
 * {@code vote = Σ w'ₖ(sₖδₖ)} from +0 in model order, {@code sign = copySign(1, vote)}, then for each model
 * {@code a = max(signum((wₖsₖδₖ)·σₖ·sign), 0)}, {@code mixed += wₖsₖδₖ·a}, {@code divisor += wₖ·a}, and
 * {@code r = base + (mixed / divisor')·factor} with {@code divisor' = 1} where the divisor is ±0.
 */
public final class ConsensusLanes {
    private static final int ONE_BITS = Float.floatToRawIntBits(1f);

    private ConsensusLanes() {
    }

    /**
     * Elements {@code [from, end)} of a block, where {@code end} is the largest multiple of the vector length not
     * past {@code to}; returns {@code end}, from which the caller finishes with its scalar loops.
     *
     * @param d          the models' deltas, {@code d[k][from, to)}; read only
     * @param w          the models' weights
     * @param scale      each model's rescale factor (1 for none)
     * @param voteWeight the weights the vote uses: {@code w}, or ones for the paper's sign election
     * @param signOfW    {@code sign(wₖ)} for the paper's election, else ones
     * @param normalize  whether the mix is divided by the agreeing weights
     */
    public static int merge(float[][] d, float[] w, float[] scale, float[] voteWeight, float[] signOfW,
                            boolean normalize, float factor, float[] base, int bo, int from, int to, float[] r) {
        int lanes = Lanes.FLOATS.length();
        int n = d.length;
        int e = from;
        FloatVector zero = FloatVector.zero(Lanes.FLOATS);
        FloatVector one = FloatVector.broadcast(Lanes.FLOATS, 1f);
        for (; e <= to - lanes; e += lanes) {
            FloatVector vote = zero;
            for (int k = 0; k < n; k++) {
                vote = vote.add(delta(d[k], e, scale[k]).mul(voteWeight[k]));
            }
            FloatVector sign = vote.reinterpretAsInts().and(0x8000_0000).or(ONE_BITS).reinterpretAsFloats();
            FloatVector mixed = zero;
            FloatVector divisor = zero;
            for (int k = 0; k < n; k++) {
                FloatVector weighted = delta(d[k], e, scale[k]).mul(w[k]);
                FloatVector product = weighted.mul(signOfW[k]).mul(sign);
                // max(signum(p), 0): 1 where p > 0, p itself where it is NaN (its bits, as the scalar form
                // passes them on), else 0.
                FloatVector agree = zero.blend(one, product.compare(VectorOperators.GT, 0f))
                        .blend(product, product.test(VectorOperators.IS_NAN));
                mixed = mixed.add(weighted.mul(agree));
                divisor = divisor.add(agree.mul(w[k]));
            }
            FloatVector b = FloatVector.fromArray(Lanes.FLOATS, base, bo + e);
            FloatVector result;
            if (normalize) {
                VectorMask<Float> none = divisor.compare(VectorOperators.EQ, 0f);
                result = b.add(mixed.div(divisor.blend(one, none)).mul(factor));
            } else {
                result = b.add(mixed.mul(factor));
            }
            result.intoArray(r, e);
        }
        return e;
    }

    /**
     * The whole TIES merge of a block from its inputs: each model's delta {@code x − base}, kept where
     * {@code |δ| >= bound[k]} (else +0), then as {@link #merge}; the deltas never leave registers. Counts in
     * {@code tied[k]} the elements with {@code |δ| == tie[k]}, unmasked, as a settled magnitude mask counts them.
     * For finite deltas. The operations and their order per element are those of a block's deltas, masked by
     * {@code MaskLoops.zeroOutsideFinite} and then merged by the scalar loops, so the results are the same bits.
     *
     * @param x      the models' values, {@code x[k][offset, offset + length)}
     * @param base   the base's values, {@code base[offset, offset + length)}
     * @param tie    each model's tie magnitude, or NaN where ties need no counting
     * @param r      receives the merged block, {@code r[0, length)}
     * @param scratch at least {@link #scratchLength} floats
     */
    public static void mergeMasked(float[][] x, float[] base, int offset, int length, float[] bound, float[] tie,
                                   long[] tied, float[] w, float[] scale, float[] voteWeight, float[] signOfW,
                                   boolean normalize, float factor, float[] r, float[] scratch) {
        int lanes = Lanes.FLOATS.length();
        int n = x.length;
        FloatVector zero = FloatVector.zero(Lanes.FLOATS);
        FloatVector one = FloatVector.broadcast(Lanes.FLOATS, 1f);
        java.util.Arrays.fill(tied, 0, n, 0L);
        int e = 0;
        for (; e <= length - lanes; e += lanes) {
            FloatVector b = FloatVector.fromArray(Lanes.FLOATS, base, offset + e);
            FloatVector vote = zero;
            for (int k = 0; k < n; k++) {
                FloatVector d = FloatVector.fromArray(Lanes.FLOATS, x[k], offset + e).sub(b);
                FloatVector magnitude = d.abs();
                // No branch on a NaN tie (no tie group): it counts nothing, and a branch whose direction changes
                // between tensors cost four C2 recompilations of this loop in a cold 748 M TIES run.
                tied[k] += magnitude.compare(VectorOperators.EQ, tie[k]).trueCount();
                d = scaled(zero.blend(d, magnitude.compare(VectorOperators.GE, bound[k])), scale[k]);
                // Kept for the second sweep: an L1 store and load instead of recomputing the masked delta.
                d.intoArray(scratch, k * lanes);
                vote = vote.add(d.mul(voteWeight[k]));
            }
            FloatVector sign = vote.reinterpretAsInts().and(0x8000_0000).or(ONE_BITS).reinterpretAsFloats();
            FloatVector mixed = zero;
            FloatVector divisor = zero;
            for (int k = 0; k < n; k++) {
                FloatVector weighted = FloatVector.fromArray(Lanes.FLOATS, scratch, k * lanes).mul(w[k]);
                // Finite deltas and weights: the product is never NaN, so max(signum(p), 0) is 1 where p > 0.
                FloatVector agree = zero.blend(one, weighted.mul(signOfW[k]).mul(sign)
                        .compare(VectorOperators.GT, 0f));
                mixed = mixed.add(weighted.mul(agree));
                divisor = divisor.add(agree.mul(w[k]));
            }
            FloatVector result = normalize
                    ? b.add(mixed.div(divisor.blend(one, divisor.compare(VectorOperators.EQ, 0f))).mul(factor))
                    : b.add(mixed.mul(factor));
            result.intoArray(r, e);
        }
        for (; e < length; e++) {
            float b = base[offset + e];
            float vote = 0f;
            for (int k = 0; k < n; k++) {
                float d = x[k][offset + e] - b;
                float magnitude = Math.abs(d);
                tied[k] += magnitude == tie[k] ? 1 : 0; // false for a NaN tie
                d = magnitude >= bound[k] ? d : 0f;
                if (scale[k] != 1f) {
                    d *= scale[k];
                }
                scratch[k] = d;
                vote += voteWeight[k] * d;
            }
            float sign = Math.copySign(1f, vote);
            float mixed = 0f;
            float divisor = 0f;
            for (int k = 0; k < n; k++) {
                float weighted = w[k] * scratch[k];
                float agree = Math.max(Math.signum(weighted * signOfW[k] * sign), 0f);
                mixed += weighted * agree;
                divisor += w[k] * agree;
            }
            r[e] = normalize ? b + (mixed / (divisor + (1f - Math.abs(Math.signum(divisor))))) * factor
                    : b + mixed * factor;
        }
    }

    /** The scratch {@link #mergeMasked} needs for {@code models} models. */
    public static int scratchLength(int models) {
        return models * Lanes.FLOATS.length();
    }

    private static FloatVector scaled(FloatVector d, float scale) {
        return scale == 1f ? d : d.mul(scale);
    }

    private static FloatVector delta(float[] dk, int e, float scale) {
        return scaled(FloatVector.fromArray(Lanes.FLOATS, dk, e), scale);
    }
}
