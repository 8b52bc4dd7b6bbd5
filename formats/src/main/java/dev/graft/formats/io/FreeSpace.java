package dev.graft.formats.io;

import dev.graft.formats.shard.ByteSize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The free-space check an output gets before any work: a merge that cannot fit should fail in seconds, not after
 * the hour it took to write most of it.
 */
public final class FreeSpace {
    private static final ToLongFunction<Path> FILE_STORE = FreeSpace::usable;
    private static volatile ToLongFunction<Path> probe = FILE_STORE;

    private FreeSpace() {
    }

    /**
     * Replaces how free space is measured (tests stand in a small disk); {@code null} restores the file store's
     * usable space.
     */
    public static void useProbe(ToLongFunction<Path> probe) {
        FreeSpace.probe = probe == null ? FILE_STORE : probe;
    }

    /**
     * @param target the output (absolute)
     * @param bytes  what it will take; 0 or less skips the check
     * @param shown  the output as the user named it
     * @throws UnsafeOutputException when less is free
     */
    static void require(Path target, long bytes, Path shown) {
        if (bytes <= 0) {
            return;
        }
        Path existing = target;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        long free = probe.applyAsLong(Objects.requireNonNullElse(existing, target));
        if (free >= 0 && free < bytes) {
            String need = ByteSize.format(bytes);
            String have = ByteSize.format(free);
            if (need.equals(have)) {
                // Three digits cannot tell them apart: say the bytes.
                need = String.format(Locale.ROOT, "%,d bytes", bytes);
                have = String.format(Locale.ROOT, "%,d bytes", free);
            }
            throw new UnsafeOutputException(shown, UnsafeOutputException.Reason.NO_SPACE, "needs " + need
                    + " but its file system has " + have + " free; free some space or write elsewhere");
        }
    }

    private static long usable(Path p) {
        try {
            return Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return -1; // unknown: let the write itself report a full disk
        }
    }
}
