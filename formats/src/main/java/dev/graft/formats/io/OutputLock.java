package dev.graft.formats.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock file {@code .NAME.graft-lock} beside an output while it is written, holding the writer's process id
 * and start time: a second writer of the same output fails at once, naming the first, instead of doing the whole
 * merge and then racing it to the rename. A lock whose writer no longer runs (killed with {@code kill -9}) is
 * taken over with a note.
 */
final class OutputLock implements AutoCloseable {
    private static final String SUFFIX = ".graft-lock";
    /** Locks this JVM holds: a lock file naming this process is live only if it is in here. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private boolean released;

    private OutputLock(Path file) {
        this.file = file;
    }

    /** The lock file of {@code target} (absolute). */
    static Path fileOf(Path target) {
        return target.resolveSibling("." + target.getFileName() + SUFFIX);
    }

    /** Whether {@code fileName} is one of Graft's lock files. */
    static boolean isLockName(String fileName) {
        return fileName.startsWith(".") && fileName.endsWith(SUFFIX);
    }

    /**
     * Takes the lock of {@code target} (absolute, its folder existing).
     *
     * @param shown the target as the user named it, for messages
     * @throws UnsafeOutputException when a running process holds it
     */
    static OutputLock acquire(Path target, Path shown) {
        Path file = fileOf(target);
        String content = WriterProcess.self() + " " + WriterProcess.selfStart() + "\n";
        for (int attempt = 0; attempt < 3; attempt++) {
            if (tryCreate(file, content)) {
                HELD.add(file);
                PendingOutputs.register(file);
                return new OutputLock(file);
            }
            Holder holder = Holder.read(file);
            if (holder == null) {
                continue; // released meanwhile
            }
            if (holder.running(file)) {
                throw new UnsafeOutputException(shown, UnsafeOutputException.Reason.LOCKED,
                        "is being written by process " + holder.pid + (holder.pid == WriterProcess.self()
                                ? " (this process)" : "") + "; wait for it to finish (lock file " + file + ")");
            }
            try {
                Files.deleteIfExists(file);
                OutputNotices.note("removed the stale lock " + file + " of process " + holder.pid
                        + ", which no longer runs");
            } catch (IOException e) {
                throw new FileAccessException(file, "cannot remove a stale lock file", e);
            }
        }
        throw new UnsafeOutputException(shown, UnsafeOutputException.Reason.LOCKED,
                "is being written by another process (lock file " + file + " keeps changing)");
    }

    /** Creates the lock with its content in one step: a hard link to a fully written temp file. */
    private static boolean tryCreate(Path file, String content) {
        Path temp = TempName.next(file);
        try {
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, temp);
                return true;
            } catch (UnsupportedOperationException e) {
                // No hard links here: an exclusive create, whose content a reader may briefly see empty.
                Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return true;
            }
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new FileAccessException(file, "cannot create the lock file", e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temp name carries this process's id and is cleaned by a later run
            }
        }
    }

    private record Holder(long pid, long start) {
        static Holder read(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw new FileAccessException(file, "cannot read the lock file", e);
            }
            String[] parts = text.split("\\s+");
            try {
                return new Holder(Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0);
            } catch (NumberFormatException e) {
                // Not written by this version of Graft, or cut short: no running writer can be named.
                return new Holder(-1, 0);
            }
        }

        boolean running(Path file) {
            if (pid < 0) {
                return false;
            }
            if (pid == WriterProcess.self()) {
                return HELD.contains(file);
            }
            return WriterProcess.alive(pid, start);
        }
    }

    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        HELD.remove(file);
        PendingOutputs.unregister(file);
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a lock left behind names this process and is taken over once it has exited
        }
    }
}
