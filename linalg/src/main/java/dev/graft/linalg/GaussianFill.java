package dev.graft.linalg;

import java.lang.foreign.MemorySegment;

/**
 * Fills memory with standard normal values that depend only on the seed and the element index, so a sketch is
 * the same on every backend, thread count and chunking: element i uses the uniform pair derived from
 * SplitMix64(seed, i) through the Box–Muller transform.
 */
final class GaussianFill {
    private static final double TWO_PI = 2 * Math.PI;
    private static final double UNIT = 0x1.0p-53;

    private GaussianFill() {
    }

    static void fill(MemorySegment target, long count, long seed) {
        long key = mix(seed ^ 0x6A09E667F3BCC909L);
        for (long i = 0; i < count; i++) {
            long bits1 = mix(key + 2 * i);
            long bits2 = mix(key + 2 * i + 1);
            // (0, 1]: log never sees zero.
            double u1 = ((bits1 >>> 11) + 1) * UNIT;
            double u2 = (bits2 >>> 11) * UNIT;
            double value = Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
            target.setAtIndex(Matrix.ELEMENT, i, (float) value);
        }
    }

    /** SplitMix64's output function (Steele, Lea and Flood 2014). */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
