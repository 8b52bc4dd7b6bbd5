package dev.graft.algorithms.simd;

import dev.graft.formats.simd.VectorApi;
import dev.graft.formats.simd.VectorWork;

/**
 * Whether the hot loops that need the floats' bits, or that gather, run on the JDK's incubating Vector API.
 *
 * <p>C2 vectorises plain float loops by itself, but not loops over the bits of floats ({@code floatToRawIntBits}
 * is not vectorised, and loops over a segment's view of the bits are vectorised in small benchmarks and not inside
 * a merge), nor loops that gather. The Vector API writes those loops explicitly: in {@code graft bench compress}
 * it took ComPEFT's compression from 4.2× to 2.9× the I/O floor. It is an incubator module, so it is there only
 * when the JVM is started with {@code --add-modules jdk.incubator.vector} (the {@code graft} launcher does); without
 * it every loop has a scalar form that gives the same results to the bit.
 *
 * <p>Also off when {@code -Dgraft.simd=false}, or when the machine's vectors are narrower than 256 bits (the
 * Vector API would emulate them, slower than the scalar loops).
 */
public final class Simd {
    /** True when the vector forms of the loops are used. */
    public static final boolean ENABLED = available();

    private Simd() {
    }

    /**
     * Whether the vector forms are used for work that starts now: {@link #ENABLED}, and this process has announced
     * work enough to repay their start ({@link VectorWork}). Each unit of work (a tensor's merge, a selection) asks
     * once and keeps its answer; the two forms give the same results to the bit either way.
     */
    public static boolean active() {
        return ENABLED && VectorWork.worthIt();
    }

    /** For reports: "off", "on", or "on past N elements" while this process has announced less work than N. */
    public static String describe() {
        if (!ENABLED) {
            return "off";
        }
        return VectorWork.worthIt() ? "on" : "on past " + VectorWork.threshold() + " elements";
    }

    private static boolean available() {
        // Only after VectorApi may a class that links against the incubator module be loaded.
        return VectorApi.present() && Lanes.wideEnough();
    }
}
