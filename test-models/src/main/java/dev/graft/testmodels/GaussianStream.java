package dev.graft.testmodels;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A reproducible stream of standard normal numbers for one purpose of one tensor.
 *
 * <p>Each tensor gets its own stream, seeded from the model seed, the tensor name and a purpose label, so a
 * tensor's values do not depend on which other tensors exist or in which order they are written, and a
 * fine-tune can regenerate its base's values without storing them. The numbers come from {@link SplittableRandom}
 * (SplitMix64, whose output the JDK specifies) through the Box–Muller transform, rather than
 * {@code nextGaussian()}, whose algorithm the JDK does not pin down, using {@link StrictMath}, whose results do not
 * vary with the CPU as {@link Math}'s intrinsics may: the same seed gives the same bytes on every JDK and machine.
 */
final class GaussianStream {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    private GaussianStream(SplittableRandom random) {
        this.random = random;
    }

    /** The stream for {@code purpose} ({@code "base"}, {@code "ft1/noise"} …) of tensor {@code name}. */
    static GaussianStream of(long seed, String name, String purpose) {
        return new GaussianStream(randomFor(seed, name, purpose));
    }

    /** A uniform generator seeded the same way, for choosing positions and signs. */
    static SplittableRandom randomFor(long seed, String name, String purpose) {
        long h = FNV_OFFSET;
        for (byte b : (purpose + '\0' + name).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        return new SplittableRandom(seed ^ h);
    }

    /** The next standard normal value. */
    double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        // 1 − u lies in (0, 1], so the logarithm is finite.
        double r = StrictMath.sqrt(-2 * StrictMath.log(1 - random.nextDouble()));
        double theta = 2 * Math.PI * random.nextDouble();
        spare = r * StrictMath.sin(theta);
        hasSpare = true;
        return r * StrictMath.cos(theta);
    }

    /** Fills {@code dst[from…from+count)} with {@code mean + std · N(0, 1)}. */
    void fill(float[] dst, int from, int count, double mean, double std) {
        for (int i = from; i < from + count; i++) {
            dst[i] = (float) (mean + std * next());
        }
    }
}
