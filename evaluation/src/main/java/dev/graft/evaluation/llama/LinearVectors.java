package dev.graft.evaluation.llama;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Linear}'s loops in vectors, loaded only when {@code dev.graft.algorithms.simd.Simd#ENABLED} says the
 * incubator module is there. The forward keeps a block's outputs in registers across the whole sum over the inputs,
 * and the backward keeps a stretch of {@code dx} in registers across the sum over the outputs, which the scalar
 * loops (four stores into one array per step) cannot. Per element the operations and their order are the scalar
 * loops', {@code ((s + a₀·w₀) + a₁·w₁) + …} without fused multiply-adds and skipping the same all-zero gradients,
 * so both give the same bits.
 */
final class LinearVectors {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_256;
    private static final int LANES = DOUBLES.length();

    private LinearVectors() {
    }

    /**
     * Outputs {@code [0, end)} of the four positions at {@code x0} / {@code y0} of {@link Linear#apply}, where
     * {@code end} is the largest multiple of the vector length not past {@code out}; returns {@code end}, from which
     * the caller goes on with its scalar loop.
     */
    static int apply4(double[] wt, int out, int in, double[] x, int x0, double[] y, int y0) {
        int end = out - out % LANES;
        DoubleVector zero = DoubleVector.zero(DOUBLES);
        for (int o = 0; o < end; o += LANES) {
            DoubleVector s0 = zero;
            DoubleVector s1 = zero;
            DoubleVector s2 = zero;
            DoubleVector s3 = zero;
            for (int i = 0, row = o; i < in; i++, row += out) {
                DoubleVector w = DoubleVector.fromArray(DOUBLES, wt, row);
                s0 = s0.add(w.mul(x[x0 + i]));
                s1 = s1.add(w.mul(x[x0 + in + i]));
                s2 = s2.add(w.mul(x[x0 + 2 * in + i]));
                s3 = s3.add(w.mul(x[x0 + 3 * in + i]));
            }
            s0.intoArray(y, y0 + o);
            s1.intoArray(y, y0 + out + o);
            s2.intoArray(y, y0 + 2 * out + o);
            s3.intoArray(y, y0 + 3 * out + o);
        }
        return end;
    }

    /** {@link #apply4} for one position. */
    static int apply1(double[] wt, int out, int in, double[] x, int x0, double[] y, int y0) {
        int end = out - out % LANES;
        for (int o = 0; o < end; o += LANES) {
            DoubleVector s = DoubleVector.zero(DOUBLES);
            for (int i = 0, row = o; i < in; i++, row += out) {
                s = s.add(DoubleVector.fromArray(DOUBLES, wt, row).mul(x[x0 + i]));
            }
            s.intoArray(y, y0 + o);
        }
        return end;
    }

    /**
     * {@code dx_r[i] += Σ_o g_r[o]·W[o, i]} for the four positions at {@code d0} / {@code dx0} and inputs
     * {@code [0, end)} ({@code end} as in {@link #apply4}), the outputs in ascending order, skipping those whose four
     * gradients are all zero as the scalar loop does; returns {@code end}.
     */
    static int inputGradient4(double[] w, int out, int in, double[] dy, int d0, double[] dx, int dx0) {
        int end = in - in % LANES;
        for (int i = 0; i < end; i += LANES) {
            DoubleVector s0 = DoubleVector.fromArray(DOUBLES, dx, dx0 + i);
            DoubleVector s1 = DoubleVector.fromArray(DOUBLES, dx, dx0 + in + i);
            DoubleVector s2 = DoubleVector.fromArray(DOUBLES, dx, dx0 + 2 * in + i);
            DoubleVector s3 = DoubleVector.fromArray(DOUBLES, dx, dx0 + 3 * in + i);
            for (int o = 0, row = i; o < out; o++, row += in) {
                double g0 = dy[d0 + o];
                double g1 = dy[d0 + out + o];
                double g2 = dy[d0 + 2 * out + o];
                double g3 = dy[d0 + 3 * out + o];
                if (g0 == 0 && g1 == 0 && g2 == 0 && g3 == 0) {
                    continue;
                }
                DoubleVector wv = DoubleVector.fromArray(DOUBLES, w, row);
                s0 = s0.add(wv.mul(g0));
                s1 = s1.add(wv.mul(g1));
                s2 = s2.add(wv.mul(g2));
                s3 = s3.add(wv.mul(g3));
            }
            s0.intoArray(dx, dx0 + i);
            s1.intoArray(dx, dx0 + in + i);
            s2.intoArray(dx, dx0 + 2 * in + i);
            s3.intoArray(dx, dx0 + 3 * in + i);
        }
        return end;
    }
}
