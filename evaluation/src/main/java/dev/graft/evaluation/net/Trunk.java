package dev.graft.evaluation.net;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The shared part of the network, the part that is fine-tuned and merged: its {@link TrunkShape} and weights in
 * the order of {@link TrunkShape#names()}.
 */
public record Trunk(TrunkShape shape, Params params) {
    public Trunk {
        if (params.count() != shape.tensorCount()) {
            throw new IllegalArgumentException("a trunk of " + shape.blocks() + " blocks has " + shape.tensorCount()
                    + " tensors, not " + params.count());
        }
    }

    /**
     * He-initialised weights, zero biases; each block's output projection starts at a quarter of its He scale so
     * that the residual stream does not grow with depth (there is no normalisation layer).
     */
    public static Trunk initial(TrunkShape shape, SplittableRandom rng) {
        List<long[]> shapes = shape.shapes();
        float[][] t = new float[shapes.size()][];
        for (int i = 0; i < t.length; i++) {
            long[] s = shapes.get(i);
            t[i] = new float[(int) (s.length == 1 ? s[0] : s[0] * s[1])];
            if (s.length == 2) {
                boolean down = i >= 2 && (i - 2) % 4 == 2;
                double sd = Math.sqrt(2.0 / s[1]) * (down ? 0.25 : 1);
                for (int j = 0; j < t[i].length; j++) {
                    t[i][j] = (float) (rng.nextGaussian() * sd);
                }
            }
        }
        return new Trunk(shape, new Params(t));
    }

    /** A deep copy. */
    public Trunk copy() {
        return new Trunk(shape, params.copy());
    }

    /** This trunk's weights minus {@code base}'s: the task vector. */
    public Params minus(Trunk base) {
        return params.minus(base.params);
    }

    float[] embedWeight() {
        return params.tensor(0);
    }

    float[] embedBias() {
        return params.tensor(1);
    }

    float[] upWeight(int block) {
        return params.tensor(2 + 4 * block);
    }

    float[] upBias(int block) {
        return params.tensor(3 + 4 * block);
    }

    float[] downWeight(int block) {
        return params.tensor(4 + 4 * block);
    }

    float[] downBias(int block) {
        return params.tensor(5 + 4 * block);
    }
}
