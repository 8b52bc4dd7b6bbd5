package dev.graft.evaluation.net;

/**
 * Forward and backward passes of a {@link Trunk} for one example at a time, keeping the activations the backward
 * pass needs. Hand-written rather than ND4J/SameDiff: the trunk is a few small matrices, where per-op dispatch of a
 * tensor library costs more than the arithmetic, and plain loops are exactly reproducible from the seed.
 * One instance per thread.
 */
public final class TrunkPass {
    private final TrunkShape shape;
    /** Residual stream before each block and after the last: {@code h[b][width]}. */
    private final float[][] h;
    /** Each block's pre-activation: {@code u[b][inner]}. */
    private final float[][] u;
    private final float[] dh;
    private final float[] du;

    public TrunkPass(TrunkShape shape) {
        this.shape = shape;
        this.h = new float[shape.blocks() + 1][shape.width()];
        this.u = new float[shape.blocks()][shape.inner()];
        this.dh = new float[shape.width()];
        this.du = new float[shape.inner()];
    }

    /** Runs the trunk on {@code x[off ..]} and returns the features (valid until the next call). */
    public float[] forward(Trunk t, float[] x, int off) {
        int w = shape.width();
        int d = shape.inputs();
        int f = shape.inner();
        float[] we = t.embedWeight();
        float[] be = t.embedBias();
        float[] h0 = h[0];
        for (int o = 0; o < w; o++) {
            float s = be[o];
            int r = o * d;
            for (int i = 0; i < d; i++) {
                s += we[r + i] * x[off + i];
            }
            h0[o] = s;
        }
        for (int b = 0; b < shape.blocks(); b++) {
            float[] in = h[b];
            float[] out = h[b + 1];
            float[] ub = u[b];
            float[] wu = t.upWeight(b);
            float[] bu = t.upBias(b);
            for (int o = 0; o < f; o++) {
                float s = bu[o];
                int r = o * w;
                for (int i = 0; i < w; i++) {
                    s += wu[r + i] * in[i];
                }
                ub[o] = s;
            }
            float[] wd = t.downWeight(b);
            float[] bd = t.downBias(b);
            for (int o = 0; o < w; o++) {
                float s = in[o] + bd[o];
                int r = o * f;
                for (int i = 0; i < f; i++) {
                    float a = ub[i];
                    if (a > 0) {
                        s += wd[r + i] * a;
                    }
                }
                out[o] = s;
            }
        }
        return h[shape.blocks()];
    }

    /**
     * Adds to {@code grad} the gradient of the loss for the example of the last {@link #forward}, given the loss's
     * gradient with respect to the features.
     */
    public void backward(Trunk t, float[] x, int off, float[] dFeatures, Trunk grad) {
        int w = shape.width();
        int d = shape.inputs();
        int f = shape.inner();
        System.arraycopy(dFeatures, 0, dh, 0, w);
        for (int b = shape.blocks() - 1; b >= 0; b--) {
            float[] in = h[b];
            float[] ub = u[b];
            float[] wd = t.downWeight(b);
            float[] gwd = grad.downWeight(b);
            float[] gbd = grad.downBias(b);
            java.util.Arrays.fill(du, 0);
            for (int o = 0; o < w; o++) {
                float g = dh[o];
                gbd[o] += g;
                int r = o * f;
                for (int i = 0; i < f; i++) {
                    float a = ub[i];
                    if (a > 0) {
                        gwd[r + i] += g * a;
                        du[i] += wd[r + i] * g;
                    }
                }
            }
            float[] wu = t.upWeight(b);
            float[] gwu = grad.upWeight(b);
            float[] gbu = grad.upBias(b);
            for (int o = 0; o < f; o++) {
                float g = ub[o] > 0 ? du[o] : 0;
                if (g == 0) {
                    continue;
                }
                gbu[o] += g;
                int r = o * w;
                for (int i = 0; i < w; i++) {
                    gwu[r + i] += g * in[i];
                    dh[i] += wu[r + i] * g;
                }
            }
        }
        float[] gwe = grad.embedWeight();
        float[] gbe = grad.embedBias();
        for (int o = 0; o < w; o++) {
            float g = dh[o];
            gbe[o] += g;
            int r = o * d;
            for (int i = 0; i < d; i++) {
                gwe[r + i] += g * x[off + i];
            }
        }
    }
}
