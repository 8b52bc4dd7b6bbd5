package dev.graft.formats.io;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether the process that left a lock or temp file behind still runs. A process id alone can be reused by an
 * unrelated process after a crash, so a lock records the writer's start time as well.
 */
final class WriterProcess {
    private WriterProcess() {
    }

    /** This process's id. */
    static long self() {
        return ProcessHandle.current().pid();
    }

    /** This process's start time in epoch milliseconds, or 0 when the platform does not say. */
    static long selfStart() {
        return ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Whether process {@code pid} runs now; when {@code startMillis} is known (non-zero) and the platform reports
     * start times, a process that started at another time is a different one.
     */
    static boolean alive(long pid, long startMillis) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        if (startMillis == 0) {
            return true;
        }
        return h.get().info().startInstant().map(s -> Math.abs(s.toEpochMilli() - startMillis) < 2000).orElse(true);
    }
}
