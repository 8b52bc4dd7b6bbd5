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

    private static FloatVector delta(float[] dk, int e, float scale) {
        FloatVector x = FloatVector.fromArray(Lanes.FLOATS, dk, e);
        return scale == 1f ? x : x.mul(scale);
    }
}
