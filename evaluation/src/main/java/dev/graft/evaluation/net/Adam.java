package dev.graft.evaluation.net;

/** Adam (Kingma & Ba, 2015) with bias correction, updating a {@link Params} in place from its gradient. */
public final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final Params m;
    private final Params v;
    private final double rate;
    private int step;

    public Adam(Params shape, double rate) {
        this.m = shape.zerosLike();
        this.v = shape.zerosLike();
        this.rate = rate;
    }

    /** One step: {@code params −= rate · m̂ / (√v̂ + ε)}. */
    public void step(Params params, Params grad) {
        step(params, grad, rate);
    }

    /** One step at a scheduled rate (warm-up, decay) instead of the constructor's. */
    public void step(Params params, Params grad, double rate) {
        step++;
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        for (int t = 0; t < params.count(); t++) {
            float[] p = params.tensor(t);
            float[] g = grad.tensor(t);
            float[] mt = m.tensor(t);
            float[] vt = v.tensor(t);
            for (int i = 0; i < p.length; i++) {
                mt[i] = (float) (BETA1 * mt[i] + (1 - BETA1) * g[i]);
                vt[i] = (float) (BETA2 * vt[i] + (1 - BETA2) * g[i] * g[i]);
                p[i] -= (float) (rate * (mt[i] / c1) / (Math.sqrt(vt[i] / c2) + EPS));
            }
        }
    }
}
