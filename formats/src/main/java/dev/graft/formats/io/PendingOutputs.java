package dev.graft.formats.io;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temp files and folders of outputs not yet published. A JVM stopped by Ctrl-C or {@code kill} does not run the
 * writing threads' cleanup, so a shutdown hook deletes whatever is still registered: an interrupted write leaves
 * neither a file under the final name (publishing is the last step) nor hidden temp files behind.
 */
public final class PendingOutputs {
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PendingOutputs::deleteAll, "graft-cleanup"));
    }

    private PendingOutputs() {
    }

    /** Registers a temp file or folder to delete if the JVM exits before it is published or abandoned. */
    public static void register(Path temp) {
        PENDING.add(temp);
    }

    /** Forgets a temp path that was published or already deleted. */
    public static void unregister(Path temp) {
        PENDING.remove(temp);
    }

    private static void deleteAll() {
        // The JVM is going down: what cannot be deleted stays, named as a temp for a later run to remove.
        PENDING.forEach(FileTrees::deleteQuietly);
    }
}
