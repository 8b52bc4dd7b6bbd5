package dev.graft.formats.dtype;

import dev.graft.formats.simd.VectorApi;
import dev.graft.formats.simd.VectorWork;

/**
 * Whether {@link Bf16Codec} widens through {@link Bf16Lanes} or its scalar loop. The vector loop is used when the JVM
 * has the incubator module (the {@code graft} launcher adds it for the commands that read models),
 * {@code -Dgraft.simd=false} is not set, the machine has real 256-bit vectors, and this process has announced work
 * enough to repay the loop's start ({@link VectorWork}). Both loops give the same floats and counts.
 *
 * <p>Why not from the start: compiled, the vector loop takes 0.09 against 0.46 ns an element, but its first use in a
 * process costs about half a CPU-second (the Vector API's classes and lambdas made and compiled, its operations run
 * as allocating fallbacks until then). Measured cold on this project's 2-core machine: task arithmetic on three
 * 4 M-parameter fine-tunes took 1.28 s with the vector loop from the start against 0.82 s without it, and on three
 * 135 M-parameter ones 2.2–2.6 s once it took over halfway against 2.0–2.1 s without it; on three 748 M-parameter
 * fine-tunes it saved about a CPU-second.
 */
final class WideningSwitch {
    // only after VectorApi may a class linking against the incubator module be loaded
    private static final boolean AVAILABLE = VectorApi.present() && Bf16Lanes.usable();

    private WideningSwitch() {
    }

    /** Whether to widen the next elements with {@link Bf16Lanes}. */
    static boolean vector() {
        return AVAILABLE && VectorWork.worthIt();
    }
}
