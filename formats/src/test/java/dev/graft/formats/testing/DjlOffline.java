package dev.graft.formats.testing;

import java.nio.file.Path;

/** Settings for tests that run DJL's tokenizers: no downloads, natives unpacked under {@code target}. */
public final class DjlOffline {
    private DjlOffline() {
    }

    /**
     * DJL unpacks its native library into a cache folder ({@code ~/.djl.ai} by default) and may otherwise go online;
     * call before the first tokenizer is made.
     */
    public static void configure() {
        String cache = Path.of("target", "djl-cache").toAbsolutePath().toString();
        System.setProperty("DJL_CACHE_DIR", cache);
        System.setProperty("ENGINE_CACHE_DIR", cache);
        System.setProperty("ai.djl.offline", "true");
    }
}
