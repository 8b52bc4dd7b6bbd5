package dev.graft.evaluation.net;

import java.util.Arrays;

/**
 * A list of float tensors that are trained or merged together (a trunk's, or a set of heads'), with the arithmetic
 * the optimizer and the delta statistics need.
 */
public final class Params {
    private final float[][] tensors;

    public Params(float[][] tensors) {
        this.tensors = tensors;
    }

    /** Zero tensors of the same sizes. */
    public Params zerosLike() {
        float[][] z = new float[tensors.length][];
        for (int i = 0; i < z.length; i++) {
            z[i] = new float[tensors[i].length];
        }
        return new Params(z);
    }

    /** A deep copy. */
    public Params copy() {
        float[][] c = new float[tensors.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = tensors[i].clone();
        }
        return new Params(c);
    }

    public int count() {
        return tensors.length;
    }

    public float[] tensor(int i) {
        return tensors[i];
    }

    /** Sets every value to 0. */
    public void clear() {
        for (float[] t : tensors) {
            Arrays.fill(t, 0);
        }
    }

    /** {@code this += other}. */
    public void add(Params other) {
        for (int i = 0; i < tensors.length; i++) {
            float[] a = tensors[i];
            float[] b = other.tensors[i];
            for (int j = 0; j < a.length; j++) {
                a[j] += b[j];
            }
        }
    }

    /** {@code this − other}, as a new list. */
    public Params minus(Params other) {
        Params d = copy();
        for (int i = 0; i < tensors.length; i++) {
            float[] a = d.tensors[i];
            float[] b = other.tensors[i];
            for (int j = 0; j < a.length; j++) {
                a[j] -= b[j];
            }
        }
        return d;
    }

    /** Total number of values. */
    public long size() {
        long n = 0;
        for (float[] t : tensors) {
            n += t.length;
        }
        return n;
    }
}
