package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorOutput;

/**
 * The points a spherical method ({@code nuslerp}, {@code multislerp}, {@code karcher}) works on, block by block:
 * each model's tensor, or, when the task has a base and the method works on task vectors, each model's task vector
 * {@code θᵢ − θ_base} (computed in float32, as mergekit subtracts in its compute dtype).
 *
 * <p>These methods need only the points' norms and dot products before they write: {@link #gram()} takes them in
 * one pass, and {@link #write} writes a linear combination of the points in a second, so memory stays at a chunk
 * per input whatever the tensor's size. Blocks are {@link RowBlocks}, so that the loops over several points' blocks
 * find them in the L2 cache.
 */
public final class PointScan {
    /** Receives one block of the points. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param first      index of the block's first element in the tensor
         * @param length     elements in the block (whole rows)
         * @param points     {@code points[k][0, length)} is point {@code k}'s block ({@link #models()} order);
         *                   reused buffers
         * @param base       the base's values, {@code base[baseOffset, baseOffset + length)}, or null when the
         *                   points are the models themselves; read-only
         * @param baseOffset where the block starts in {@code base}
         */
        void visit(long first, int length, float[][] points, float[] base, int baseOffset);
    }

    /** Independent sums per dot product, so that the additions do not wait on each other. */
    private static final int LANES = 4;

    private final TensorInputs inputs;
    private final int base;
    private final int[] models;
    private final int block;
    private final float[][] buffers;

    /**
     * @param inputs       a task's inputs
     * @param taskVectors  whether a base, when the task has one, is subtracted from the other inputs (nuslerp,
     *                     multislerp); false makes every input a point, the base included (karcher)
     */
    public PointScan(TensorInputs inputs, boolean taskVectors) {
        this.inputs = inputs;
        this.base = taskVectors ? inputs.baseIndex() : -1;
        this.models = RowBlocks.allBut(inputs.count(), base);
        this.block = RowBlocks.length(inputs);
        this.buffers = new float[models.length][block];
    }

    /** Input index of each point. */
    public int[] models() {
        return models.clone();
    }

    /** Number of points. */
    public int count() {
        return models.length;
    }

    /** Whether the points are task vectors from a base. */
    public boolean hasBase() {
        return base >= 0;
    }

    /** The most elements a block holds. */
    public int blockLength() {
        return block;
    }

    public TensorInputs inputs() {
        return inputs;
    }

    /** One pass over the whole tensor. */
    public void scan(Visitor visitor) {
        inputs.scan((first, chunk, v, off) -> {
            for (int at = 0; at < chunk; at += block) {
                int len = Math.min(block, chunk - at);
                for (int k = 0; k < models.length; k++) {
                    if (base >= 0) {
                        subtract(v[models[k]], v[base], off + at, buffers[k], len);
                    } else {
                        System.arraycopy(v[models[k]], off + at, buffers[k], 0, len);
                    }
                }
                visitor.visit(first + at, len, buffers, base >= 0 ? v[base] : null, off + at);
            }
        });
    }

    /** {@code d[0, len) = x[from, from + len) − b[from, from + len)}; static so that C2 vectorises it. */
    private static void subtract(float[] x, float[] b, int from, float[] d, int len) {
        for (int e = 0; e < len; e++) {
            d[e] = x[from + e] - b[from + e];
        }
    }

    /**
     * One pass: the points' Gram matrix {@code G[i][j] = pᵢ·pⱼ}, each summed in double by a {@link TensorDot}, so
     * that it does not depend on the chunking.
     */
    public Gram gram() {
        int n = models.length;
        TensorDot[][] sums = new TensorDot[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                sums[i][j] = new TensorDot();
            }
        }
        scan((first, len, p, b, bo) -> {
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    sums[i][j].add(first, p[i], 0, p[j], 0, len);
                }
            }
        });
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                g[i][j] = sums[i][j].value();
                g[j][i] = g[i][j];
            }
        }
        return new Gram(g);
    }

    /** {@code Σ x[e]·y[e]} over {@code [from, to)} in double, in {@value #LANES} interleaved sums. */
    static double dot(float[] x, float[] y, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int e = from;
        for (; e <= to - LANES; e += LANES) {
            s0 += (double) x[e] * y[e];
            s1 += (double) x[e + 1] * y[e + 1];
            s2 += (double) x[e + 2] * y[e + 2];
            s3 += (double) x[e + 3] * y[e + 3];
        }
        for (; e < to; e++) {
            s0 += (double) x[e] * y[e];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@link #write(float[], TensorOutput)} with the coefficients rounded to float32. */
    public void write(double[] c, TensorOutput out) {
        float[] f = new float[c.length];
        for (int k = 0; k < c.length; k++) {
            f[k] = (float) c[k];
        }
        write(f, out);
    }

    /**
     * One pass writing {@code Σₖ cₖ·pₖ}, plus the base when the points are task vectors, in float32: the terms are
     * added in point order, then the sum to the base.
     */
    public void write(float[] c, TensorOutput out) {
        float[] r = new float[block];
        scan((first, len, p, b, bo) -> {
            combine(c, p, len, r);
            if (b != null) {
                for (int e = 0; e < len; e++) {
                    r[e] = b[bo + e] + r[e];
                }
            }
            out.write(r, 0, len);
        });
    }

    /** {@code r[0, len) = Σₖ c[k]·p[k][0, len)}, adding in point order. */
    static void combine(float[] c, float[][] p, int len, float[] r) {
        float c0 = c[0];
        float[] p0 = p[0];
        for (int e = 0; e < len; e++) {
            r[e] = c0 * p0[e];
        }
        for (int k = 1; k < c.length; k++) {
            float ck = c[k];
            float[] pk = p[k];
            for (int e = 0; e < len; e++) {
                r[e] += ck * pk[e];
            }
        }
    }

    /** One pass writing input {@code input} unchanged (a merge of one model is that model, as in mergekit). */
    public void writeInput(int input, TensorOutput out) {
        inputs.lastScan((first, len, v, off) -> out.write(v[input], off, len));
    }

    /** Writes zeros, reading nothing. */
    public void writeZeros(TensorOutput out) {
        float[] zeros = new float[block];
        long total = inputs.elements();
        for (long done = 0; done < total; done += block) {
            out.write(zeros, 0, (int) Math.min(block, total - done));
        }
    }
}
