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
    /** Each block's activation {@code relu(u)}. */
    private final float[][] act;
    /** Transposed weights ({@code [in, out]}) of the trunk last {@link #load}ed. */
    private final float[] embedT;
    private final float[][] upT;
    private final float[][] downT;
    private final float[] dh;
    private final float[] du;
    private Trunk loaded;

    public TrunkPass(TrunkShape shape) {
        this.shape = shape;
        this.h = new float[shape.blocks() + 1][shape.width()];
        this.u = new float[shape.blocks()][shape.inner()];
        this.act = new float[shape.blocks()][shape.inner()];
        this.embedT = new float[shape.width() * shape.inputs()];
        this.upT = new float[shape.blocks()][shape.inner() * shape.width()];
        this.downT = new float[shape.blocks()][shape.width() * shape.inner()];
        this.dh = new float[shape.width()];
        this.du = new float[shape.inner()];
    }

    /**
     * Takes the weights of {@code t} for the following passes; call again whenever they change. The forward pass
     * works on transposed copies so that its inner loops are {@code y += a·row} updates, which the JIT vectorises
     * (float dot products it does not, as their order of addition is fixed).
     */
    public void load(Trunk t) {
        transpose(t.embedWeight(), shape.width(), shape.inputs(), embedT);
        for (int b = 0; b < shape.blocks(); b++) {
            transpose(t.upWeight(b), shape.inner(), shape.width(), upT[b]);
            transpose(t.downWeight(b), shape.width(), shape.inner(), downT[b]);
        }
        loaded = t;
    }

    /** Runs the loaded trunk on {@code x[off ..]} and returns the features (valid until the next call). */
    public float[] forward(float[] x, int off) {
        int w = shape.width();
        int d = shape.inputs();
        int f = shape.inner();
        float[] h0 = h[0];
        System.arraycopy(loaded.embedBias(), 0, h0, 0, w);
        for (int i = 0; i < d; i++) {
            axpy(x[off + i], embedT, i * w, h0, w);
        }
        for (int b = 0; b < shape.blocks(); b++) {
            float[] in = h[b];
            float[] out = h[b + 1];
            float[] ub = u[b];
            float[] ab = act[b];
            System.arraycopy(loaded.upBias(b), 0, ub, 0, f);
            float[] wu = upT[b];
            for (int i = 0; i < w; i++) {
                axpy(in[i], wu, i * f, ub, f);
            }
            for (int i = 0; i < f; i++) {
                ab[i] = Math.max(ub[i], 0f);
            }
            float[] bd = loaded.downBias(b);
            for (int o = 0; o < w; o++) {
                out[o] = in[o] + bd[o];
            }
            float[] wd = downT[b];
            for (int i = 0; i < f; i++) {
                float a = ab[i];
                if (a != 0) {
                    axpy(a, wd, i * w, out, w);
                }
            }
        }
        return h[shape.blocks()];
    }

    /**
     * Adds to {@code grad} the gradient of the loss for the example of the last {@link #forward}, given the loss's
     * gradient with respect to the features.
     */
    public void backward(float[] x, int off, float[] dFeatures, Trunk grad) {
        Trunk t = loaded;
        int w = shape.width();
        int d = shape.inputs();
        int f = shape.inner();
        System.arraycopy(dFeatures, 0, dh, 0, w);
        for (int b = shape.blocks() - 1; b >= 0; b--) {
            float[] in = h[b];
            float[] ub = u[b];
            float[] ab = act[b];
            float[] wd = t.downWeight(b);
            float[] gwd = grad.downWeight(b);
            float[] gbd = grad.downBias(b);
            java.util.Arrays.fill(du, 0);
            for (int o = 0; o < w; o++) {
                float g = dh[o];
                gbd[o] += g;
                axpy(g, ab, 0, gwd, o * f, f);
                axpy(g, wd, o * f, du, 0, f);
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
                axpy(g, in, 0, gwu, o * w, w);
                axpy(g, wu, o * w, dh, 0, w);
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

    /** {@code y[0..n) += a · x[xOff..xOff+n)}. */
    private static void axpy(float a, float[] x, int xOff, float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a * x[xOff + j];
        }
    }

    /** {@code y[yOff..yOff+n) += a · x[xOff..xOff+n)}. */
    private static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a * x[xOff + j];
        }
    }

    private static void transpose(float[] m, int rows, int cols, float[] out) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = m[r * cols + c];
            }
        }
    }
}
