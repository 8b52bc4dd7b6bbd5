package dev.graft.evaluation.data;

import java.util.SplittableRandom;

/**
 * Where a task's inputs come from: {@code center + spread·z} with {@code z} standard normal. Tasks in different
 * regions are like the different image domains of the task-vector benchmarks: each fine-tune changes the network
 * mostly where its own inputs fall.
 *
 * @param center the mean input
 * @param spread the standard deviation of each coordinate
 */
public record InputRegion(float[] center, double spread) {
    /** A region around a random center at distance {@code distance} from the origin. */
    public static InputRegion random(int inputs, double distance, double spread, SplittableRandom rng) {
        float[] c = new float[inputs];
        double norm = 0;
        for (int i = 0; i < inputs; i++) {
            c[i] = (float) rng.nextGaussian();
            norm += c[i] * c[i];
        }
        double s = distance / Math.sqrt(norm);
        for (int i = 0; i < inputs; i++) {
            c[i] = (float) (c[i] * s);
        }
        return new InputRegion(c, spread);
    }

    /** The whole space around the origin. */
    public static InputRegion everywhere(int inputs, double spread) {
        return new InputRegion(new float[inputs], spread);
    }

    /** Writes one input at {@code x[off ..]}. */
    public void sample(float[] x, int off, SplittableRandom rng) {
        for (int i = 0; i < center.length; i++) {
            x[off + i] = (float) (center[i] + spread * rng.nextGaussian());
        }
    }
}
