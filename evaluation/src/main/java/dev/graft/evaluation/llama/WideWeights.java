package dev.graft.evaluation.llama;

import java.util.List;

/**
 * A decoder's weights widened to float64 for {@link LlamaPass}, each matrix twice: as stored ({@code [out, in]},
 * which the backward pass reads row by row) and transposed ({@code [in, out]}), so that the forward product
 * {@code y = W·x} is a sum of rows {@code x[i]·Wᵀ[i]} that the JIT vectorises, where a dot product per output is a
 * floating-point reduction it must not reorder.
 */
public final class WideWeights {
    private final LlamaShape shape;
    private final double[][] rows;
    private final double[][] columns;
    /** Counts {@link #set} calls, so that a pass does not reuse what it computed with other values. */
    private long version;

    WideWeights(LlamaShape shape, double[][] rows) {
        this.shape = shape;
        this.rows = rows;
        this.columns = new double[rows.length][];
        List<long[]> shapes = shape.shapes();
        for (int t = 0; t < rows.length; t++) {
            long[] s = shapes.get(t);
            if (s.length == 2) {
                columns[t] = new double[rows[t].length];
                transposeInto(t, (int) s[0], (int) s[1]);
            }
        }
    }

    /** The shape the weights have. */
    public LlamaShape shape() {
        return shape;
    }

    /** Tensor {@code t} in its stored layout; read-only to callers, change values through {@link #set}. */
    double[] rows(int t) {
        return rows[t];
    }

    /** Matrix {@code t} transposed to {@code [in, out]}. */
    double[] columns(int t) {
        return columns[t];
    }

    /** How many times {@link #set} changed these weights. */
    long version() {
        return version;
    }

    /** Number of tensors. */
    public int count() {
        return rows.length;
    }

    /** Values in tensor {@code t}. */
    public int size(int t) {
        return rows[t].length;
    }

    /** Value {@code j} of tensor {@code t} in the stored layout. */
    public double get(int t, int j) {
        return rows[t][j];
    }

    /** Sets value {@code j} (stored layout) of tensor {@code t}, in both copies. */
    public void set(int t, int j, double value) {
        version++;
        rows[t][j] = value;
        if (columns[t] != null) {
            int in = (int) shape.shapes().get(t)[1];
            int out = rows[t].length / in;
            columns[t][(j % in) * out + j / in] = value;
        }
    }

    /** Zeros in the stored layout of every tensor: a gradient buffer. */
    public double[][] zerosLike() {
        double[][] z = new double[rows.length][];
        for (int t = 0; t < z.length; t++) {
            z[t] = new double[rows[t].length];
        }
        return z;
    }

    private void transposeInto(int t, int out, int in) {
        double[] r = rows[t];
        double[] c = columns[t];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                c[i * out + o] = r[o * in + i];
            }
        }
    }
}
