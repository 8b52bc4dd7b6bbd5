package dev.graft.evaluation.data;

import java.util.SplittableRandom;

/**
 * Independent random streams derived from one seed, so that each part of the evaluation (a teacher, a task's
 * training stream, a test split) draws the same numbers whatever else runs or in which order.
 */
public final class Seeds {
    private Seeds() {
    }

    /** A stream for {@code purpose} and {@code index} under {@code seed}. */
    public static SplittableRandom stream(long seed, String purpose, int index) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (int i = 0; i < purpose.length(); i++) {
            h = mix(h ^ purpose.charAt(i));
        }
        return new SplittableRandom(mix(h ^ (index * 0xD1B54A32D192ED03L)));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
