package dev.graft.formats.gguf;

import dev.graft.formats.simd.VectorApi;

/**
 * Whether the block quantizers run on the JDK's incubating Vector API ({@link QuantizeLanes}) or as scalar loops:
 * the vector form when the JVM was started with {@code --add-modules jdk.incubator.vector} (the {@code graft}
 * launcher does for the commands that write models), {@code -Dgraft.simd=false} is not set, and the machine's
 * vectors are at least 256 bits wide (narrower ones the Vector API would emulate, slower than the scalar loops).
 * Both forms write the same bytes.
 */
final class QuantizeSwitch {
    /** True when {@link QuantizeLanes} is used. */
    static final boolean VECTOR = available();

    private QuantizeSwitch() {
    }

    private static boolean available() {
        // only after VectorApi may a class linking against the incubator module be loaded
        return VectorApi.present() && QuantizeLanes.usable();
    }
}
