package dev.graft.algorithms.random;

/**
 * The SplitMix64 mixing function and increment (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), exactly as {@link java.util.SplittableRandom} uses them.
 */
public final class SplitMix64 {

    /** The golden-ratio increment {@code 0x9E3779B97F4A7C15}, SplitMix64's default gamma. */
    public static final long GAMMA = 0x9E37_79B9_7F4A_7C15L;
    /** The finaliser's first multiplier. */
    public static final long MIX1 = 0xBF58_476D_1CE4_E5B9L;
    /** The finaliser's second multiplier. */
    public static final long MIX2 = 0x94D0_49BB_1331_11EBL;

    private SplitMix64() {
    }

    /**
     * The 64-bit finaliser (David Stafford's "Mix13" variant of MurmurHash3's fmix64), a bijection on longs:
     * {@code z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >>> 27)) * 0x94D049BB133111EB;
     * return z ^ (z >>> 31)}, all arithmetic modulo 2^64 with logical shifts.
     */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * MIX1;
        z = (z ^ (z >>> 27)) * MIX2;
        return z ^ (z >>> 31);
    }
}
