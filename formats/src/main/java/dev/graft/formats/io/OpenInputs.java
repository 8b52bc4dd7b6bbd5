package dev.graft.formats.io;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The files and folders this JVM has open as inputs. Every reader registers what it maps, so that every writer
 * can refuse to replace, or to put a folder over, a file that is being read — whichever command or library call
 * wires them together, and whatever path (relative, {@code ..}, a symbolic link) names it.
 */
public final class OpenInputs {
    private static final ConcurrentHashMap<Path, Integer> OPEN = new ConcurrentHashMap<>();

    private OpenInputs() {
    }

    /** A registration, removed by {@link #close()}. */
    public static final class Registration implements AutoCloseable {
        private final Path real;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Registration(Path real) {
            this.real = real;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                OPEN.computeIfPresent(real, (p, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    /** Registers an input until the returned registration is closed; the same path may be registered again. */
    public static Registration register(Path input) {
        Path real = RealPath.of(input);
        OPEN.merge(real, 1, Integer::sum);
        return new Registration(real);
    }

    /** The real paths of every input open now. */
    public static List<Path> snapshot() {
        return List.copyOf(OPEN.keySet());
    }
}
