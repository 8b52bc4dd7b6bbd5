package dev.graft.evaluation.llama;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Linear}'s loops in vectors, loaded only when {@code dev.graft.algorithms.simd.Simd#ENABLED} says the
 * incubator module is there. The forward keeps a block's outputs in registers across the whole sum over the inputs,
 * the backward keeps a stretch of {@code dx} in registers across the sum over the outputs, which the scalar
 * loops (four stores into one array per step) cannot, and accumulates {@code dw} two rows at a time from one load
 * of the inputs. Per element the operations and their order are the scalar
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

    /**
     * {@code dw[o, i] += ((g0[o]·x0[i] + g1[o]·x1[i]) + g2[o]·x2[i]) + g3[o]·x3[i]} for the four positions at
     * {@code x0} / {@code d0}, inputs {@code [0, end)} ({@code end} as in {@link #apply4}) and every output whose four
     * gradients are not all zero (the scalar loop's skip), two outputs at a time so that each load of the inputs
     * serves both; returns {@code end}.
     */
    static int weightGradient4(double[] dw, int out, int in, double[] x, int x0, double[] dy, int d0) {
        int end = in - in % LANES;
        int o = 0;
        for (; o + 2 <= out; o += 2) {
            double a0 = dy[d0 + o];
            double a1 = dy[d0 + out + o];
            double a2 = dy[d0 + 2 * out + o];
            double a3 = dy[d0 + 3 * out + o];
            double b0 = dy[d0 + o + 1];
            double b1 = dy[d0 + out + o + 1];
            double b2 = dy[d0 + 2 * out + o + 1];
            double b3 = dy[d0 + 3 * out + o + 1];
            boolean skipA = a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0;
            boolean skipB = b0 == 0 && b1 == 0 && b2 == 0 && b3 == 0;
            if (skipA || skipB) {
                if (!skipA) {
                    weightGradientRow(dw, o * in, end, in, x, x0, a0, a1, a2, a3);
                }
                if (!skipB) {
                    weightGradientRow(dw, (o + 1) * in, end, in, x, x0, b0, b1, b2, b3);
                }
                continue;
            }
            int rowA = o * in;
            int rowB = rowA + in;
            for (int i = 0; i < end; i += LANES) {
                DoubleVector p0 = DoubleVector.fromArray(DOUBLES, x, x0 + i);
                DoubleVector p1 = DoubleVector.fromArray(DOUBLES, x, x0 + in + i);
                DoubleVector p2 = DoubleVector.fromArray(DOUBLES, x, x0 + 2 * in + i);
                DoubleVector p3 = DoubleVector.fromArray(DOUBLES, x, x0 + 3 * in + i);
                DoubleVector sa = p0.mul(a0).add(p1.mul(a1)).add(p2.mul(a2)).add(p3.mul(a3));
                DoubleVector sb = p0.mul(b0).add(p1.mul(b1)).add(p2.mul(b2)).add(p3.mul(b3));
                DoubleVector.fromArray(DOUBLES, dw, rowA + i).add(sa).intoArray(dw, rowA + i);
                DoubleVector.fromArray(DOUBLES, dw, rowB + i).add(sb).intoArray(dw, rowB + i);
            }
        }
        for (; o < out; o++) {
            double g0 = dy[d0 + o];
            double g1 = dy[d0 + out + o];
            double g2 = dy[d0 + 2 * out + o];
            double g3 = dy[d0 + 3 * out + o];
            if (g0 != 0 || g1 != 0 || g2 != 0 || g3 != 0) {
                weightGradientRow(dw, o * in, end, in, x, x0, g0, g1, g2, g3);
            }
        }
        return end;
    }

    /** {@link #weightGradient4} for the one output whose row of {@code dw} starts at {@code row}. */
    private static void weightGradientRow(double[] dw, int row, int end, int in, double[] x, int x0, double g0,
                                          double g1, double g2, double g3) {
        for (int i = 0; i < end; i += LANES) {
            DoubleVector s = DoubleVector.fromArray(DOUBLES, x, x0 + i).mul(g0)
                    .add(DoubleVector.fromArray(DOUBLES, x, x0 + in + i).mul(g1))
                    .add(DoubleVector.fromArray(DOUBLES, x, x0 + 2 * in + i).mul(g2))
                    .add(DoubleVector.fromArray(DOUBLES, x, x0 + 3 * in + i).mul(g3));
            DoubleVector.fromArray(DOUBLES, dw, row + i).add(s).intoArray(dw, row + i);
        }
    }
}
