package dev.graft.formats.io;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * One-line notes the output code has for the user (a stale temp file of a killed run removed, say): nothing went
 * wrong, but something on disk changed that the user did not ask for. Library callers get them on the
 * {@code dev.graft.formats.io} system logger; the command line prints them on stderr.
 */
public final class OutputNotices {
    private static final System.Logger LOG = System.getLogger("dev.graft.formats.io");
    private static volatile Consumer<String> sink = note -> LOG.log(System.Logger.Level.INFO, note);

    private OutputNotices() {
    }

    /** Sends every later note to {@code sink} instead of the system logger. */
    public static void sendTo(Consumer<String> sink) {
        OutputNotices.sink = Objects.requireNonNull(sink);
    }

    static void note(String note) {
        sink.accept(note);
    }
}
