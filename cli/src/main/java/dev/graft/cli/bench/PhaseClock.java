package dev.graft.cli.bench;

import dev.graft.formats.shard.ByteSize;

import java.lang.management.ManagementFactory;

/**
 * Measures one benchmark phase: wall time, CPU time of the whole process (all threads, JIT and GC included) and
 * peak resident memory. Started after a GC and with the peak reset, so that a phase's figures are its own and not
 * the previous phase's garbage.
 */
final class PhaseClock {
    /**
     * What a phase cost.
     *
     * @param cpuSeconds   -1 where the JVM cannot tell
     * @param peakRssBytes -1 where the platform cannot tell (not Linux)
     */
    record Cost(double seconds, double cpuSeconds, long peakRssBytes) {
        /** The peak as {@link ByteSize#format} writes it, or {@code n/a}. */
        String peakRssText() {
            return peakRssBytes < 0 ? "n/a" : ByteSize.format(peakRssBytes);
        }
    }

    private final long cpuNanos;
    private final long startNanos;

    private PhaseClock() {
        System.gc();
        if (PeakRss.available()) {
            PeakRss.reset();
        }
        cpuNanos = processCpuNanos();
        startNanos = System.nanoTime();
    }

    /** Starts measuring now. */
    static PhaseClock start() {
        return new PhaseClock();
    }

    /** The cost since {@link #start()}. */
    Cost stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double cpuSeconds = cpuNanos < 0 ? -1 : (processCpuNanos() - cpuNanos) / 1e9;
        long rss = PeakRss.available() ? PeakRss.peakBytes() : -1;
        return new Cost(seconds, cpuSeconds, rss);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
