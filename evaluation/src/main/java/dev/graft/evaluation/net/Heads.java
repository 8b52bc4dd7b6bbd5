package dev.graft.evaluation.net;

import java.util.SplittableRandom;

/**
 * Linear classification heads on the trunk's features: {@code count} heads of {@code classes} logits each, stored as
 * one {@code [count·classes, width]} weight and its bias. Pre-training trains a bank of them with the trunk;
 * fine-tuning uses one per task, fitted on the pre-trained features and then frozen.
 */
public record Heads(int count, int classes, int width, Params params) {
    /** Small random weights, zero biases. */
    public static Heads initial(int count, int classes, int width, SplittableRandom rng) {
        float[] w = new float[count * classes * width];
        double sd = 1 / Math.sqrt(width);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextGaussian() * sd);
        }
        return new Heads(count, classes, width, new Params(new float[][] {w, new float[count * classes]}));
    }

    /** Zero heads of the same sizes, to accumulate a gradient in. */
    public Heads zerosLike() {
        return new Heads(count, classes, width, params.zerosLike());
    }

    /** Head {@code k} alone, as a copy. */
    public Heads single(int k) {
        float[] w = new float[classes * width];
        float[] b = new float[classes];
        System.arraycopy(params.tensor(0), k * classes * width, w, 0, w.length);
        System.arraycopy(params.tensor(1), k * classes, b, 0, b.length);
        return new Heads(1, classes, width, new Params(new float[][] {w, b}));
    }

    /** The class head {@code k} predicts for {@code features}. */
    public int predict(int k, float[] features) {
        float[] p = new float[classes];
        logits(k, features, p);
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The cross-entropy gradient of head {@code k} for one example, scaled by {@code scale}: adds
     * {@code ∂loss/∂features} to {@code dFeatures} and, when {@code grad} is not null, the heads' gradient to it.
     *
     * @return the example's loss
     */
    public double backward(int k, float[] features, int label, double scale, float[] dFeatures, Heads grad) {
        float[] p = new float[classes];
        logits(k, features, p);
        float max = Float.NEGATIVE_INFINITY;
        for (float v : p) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (int c = 0; c < classes; c++) {
            z += Math.exp(p[c] - max);
        }
        double loss = Math.log(z) + max - p[label];
        float[] w = params.tensor(0);
        for (int c = 0; c < classes; c++) {
            float g = (float) (scale * (Math.exp(p[c] - max) / z - (c == label ? 1 : 0)));
            int row = (k * classes + c) * width;
            for (int i = 0; i < width; i++) {
                dFeatures[i] += g * w[row + i];
            }
            if (grad != null) {
                float[] gw = grad.params.tensor(0);
                for (int i = 0; i < width; i++) {
                    gw[row + i] += g * features[i];
                }
                grad.params.tensor(1)[k * classes + c] += g;
            }
        }
        return loss;
    }

    private void logits(int k, float[] features, float[] out) {
        float[] w = params.tensor(0);
        float[] b = params.tensor(1);
        for (int c = 0; c < classes; c++) {
            int row = (k * classes + c) * width;
            float s = b[k * classes + c];
            for (int i = 0; i < width; i++) {
                s += w[row + i] * features[i];
            }
            out[c] = s;
        }
    }
}
