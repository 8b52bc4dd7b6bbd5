package dev.graft.formats.simd;

/**
 * Whether loops written on the JDK's incubating Vector API may run: the one switch that every module's vector
 * loops (the bf16 codec here, {@code dev.graft.algorithms.simd} for the merge kernels) follow.
 *
 * <p>The Vector API is an incubator module, present only when the JVM is started with
 * {@code --add-modules jdk.incubator.vector} (the {@code graft} launcher does so for the streaming commands). Off
 * also when {@code -Dgraft.simd=false}, or when the machine's vectors are narrower than 256 bits (the Vector API
 * would emulate them, slower than scalar loops). Every vector loop has a scalar form with the same results to the
 * bit, used whenever this is false.
 */
public final class Simd {
    /** True when the vector forms of the loops are used. */
    public static final boolean ENABLED = available();

    private Simd() {
    }

    private static boolean available() {
        if (!Boolean.parseBoolean(System.getProperty("graft.simd", "true"))) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        // Only now may a class that links against the incubator module be loaded.
        return VectorWidth.wideEnough();
    }
}
