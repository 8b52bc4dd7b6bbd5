package dev.graft.formats.simd;

/**
 * Whether loops written on the JDK's incubating Vector API may run: the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code graft} launcher does for the commands that read or write
 * models) and {@code -Dgraft.simd=false} is not set. Until this answers true, no class that links against the
 * incubator module may be loaded; each user then checks the machine's vector width for its own lanes.
 */
public final class VectorApi {
    private VectorApi() {
    }

    /** True when the incubator module is there and not switched off. */
    public static boolean present() {
        return Boolean.parseBoolean(System.getProperty("graft.simd", "true"))
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
