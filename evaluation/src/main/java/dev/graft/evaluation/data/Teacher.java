package dev.graft.evaluation.data;

import java.util.SplittableRandom;

/**
 * A synthetic classification task: the label of an input {@code x} is {@code argmax_c (V·tanh(U·x + c))_c} for a
 * random two-layer network. Teachers drawn from one family share their form but not their function, which makes
 * them related tasks in the sense of the task-vector papers: features learnt for some help with others.
 */
public final class Teacher {
    private final int inputs;
    private final int hidden;
    private final int classes;
    private final float[] u;
    private final float[] c;
    private final float[] v;

    private Teacher(int inputs, int hidden, int classes, float[] u, float[] c, float[] v) {
        this.inputs = inputs;
        this.hidden = hidden;
        this.classes = classes;
        this.u = u;
        this.c = c;
        this.v = v;
    }

    /**
     * A random teacher. {@code sharpness} scales the input weights: about 1 keeps {@code tanh} near its linear
     * range (a smooth, nearly linear task), 3 and more saturate it (a task with sharp, curved class boundaries).
     */
    public static Teacher random(int inputs, int hidden, int classes, double sharpness, SplittableRandom rng) {
        float[] u = gaussian(hidden * inputs, sharpness / Math.sqrt(inputs), rng);
        float[] c = gaussian(hidden, 0.5, rng);
        float[] v = gaussian(classes * hidden, 1 / Math.sqrt(hidden), rng);
        return new Teacher(inputs, hidden, classes, u, c, v);
    }

    /**
     * A teacher that shares a fraction of its function with {@code shared}: every parameter is
     * {@code ρ·shared + √(1−ρ²)·own}, so ρ = 0 is an unrelated task and ρ → 1 the same task. {@code sharpness} is
     * that of the own part (use the shared teacher's).
     */
    public static Teacher blend(Teacher shared, double rho, double sharpness, SplittableRandom rng) {
        Teacher own = random(shared.inputs, shared.hidden, shared.classes, sharpness, rng);
        double o = Math.sqrt(1 - rho * rho);
        return new Teacher(shared.inputs, shared.hidden, shared.classes, mix(shared.u, own.u, rho, o),
                mix(shared.c, own.c, rho, o), mix(shared.v, own.v, rho, o));
    }

    public int inputs() {
        return inputs;
    }

    public int classes() {
        return classes;
    }

    /** The label of the input at {@code x[off .. off+inputs)}. */
    public int label(float[] x, int off) {
        float[] a = new float[hidden];
        for (int j = 0; j < hidden; j++) {
            double s = c[j];
            for (int i = 0; i < inputs; i++) {
                s += u[j * inputs + i] * x[off + i];
            }
            a[j] = (float) Math.tanh(s);
        }
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            double s = 0;
            for (int j = 0; j < hidden; j++) {
                s += v[k * hidden + j] * a[j];
            }
            if (s > bestScore) {
                bestScore = s;
                best = k;
            }
        }
        return best;
    }

    private static float[] gaussian(int n, double sd, SplittableRandom rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextGaussian() * sd);
        }
        return a;
    }

    private static float[] mix(float[] a, float[] b, double wa, double wb) {
        float[] r = new float[a.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (wa * a[i] + wb * b[i]);
        }
        return r;
    }
}
