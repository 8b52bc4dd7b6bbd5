package dev.graft.formats.dtype;

import dev.graft.formats.simd.VectorApi;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether {@link Bf16Codec} widens through {@link Bf16Lanes} or its scalar loop. The vector loop is used when the JVM
 * has the incubator module (the {@code graft} launcher adds it for the commands that read models),
 * {@code -Dgraft.simd=false} is not set, the machine has real 256-bit vectors, and this process has already widened
 * {@value #SCALAR_FIRST} elements with the scalar loop. Both loops give the same floats and counts.
 *
 * <p>Why the scalar start: compiled, the vector loop takes 0.09 against 0.46 ns an element, but its first use in a
 * process costs about half a CPU-second (the Vector API's classes and lambdas made and compiled, its operations run
 * as allocating fallbacks until then). Measured cold on this project's 2-core machine: task arithmetic on three
 * 4 M-parameter fine-tunes took 1.28 s with the vector loop from the start (and the usual compile thresholds)
 * against 0.82 s without it; on three 748 M-parameter fine-tunes the vector loop saved about a CPU-second. Past
 * {@value #SCALAR_FIRST} elements (about half of what a 135 M-parameter, four-model merge decodes) the saving has
 * room to repay that.
 */
final class WideningSwitch {
    /** Elements a process widens with the scalar loop before the vector loop takes over: 2^28. */
    static final long SCALAR_FIRST = 1L << 28;

    // only after VectorApi may a class linking against the incubator module be loaded
    private static final boolean AVAILABLE = VectorApi.present() && Bf16Lanes.usable();
    private static final AtomicLong WIDENED = new AtomicLong();
    private static volatile boolean warm;

    private WideningSwitch() {
    }

    /** Whether to widen the next {@code count} elements with {@link Bf16Lanes}; counts them when not. */
    static boolean vector(int count) {
        if (warm) {
            return true;
        }
        if (AVAILABLE && WIDENED.addAndGet(count) > SCALAR_FIRST) {
            warm = true;
        }
        return false;
    }
}
