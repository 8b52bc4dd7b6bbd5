package dev.graft.cli;

import dev.graft.formats.shard.ByteSize;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of long work on stderr: a bar redrawn in place (items, items/s, MB/s, ETA) on a terminal, a line per
 * item with {@code --verbose}, nothing when not a terminal or with {@code --quiet}. Safe to call from worker
 * threads.
 */
public final class ProgressMeter {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean bar;
    private final boolean perItem;
    private final String unit;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long start;
    private volatile long lastDraw;
    private volatile int total;
    private volatile long totalBytes;

    /**
     * @param bar     redraw a progress bar (a terminal, not quiet)
     * @param perItem print one line per finished item (verbose)
     * @param unit    what the items are, plural ({@code tensors}, {@code modules})
     */
    public ProgressMeter(PrintWriter err, boolean bar, boolean perItem, String unit) {
        this.err = err;
        this.bar = bar;
        this.perItem = perItem;
        this.unit = unit;
    }

    /** The meter a command's {@code --quiet} and the global {@code --verbose} ask for. */
    public static ProgressMeter forCommand(CommandLine cmd, boolean quiet, String unit) {
        boolean terminal = System.console() != null;
        return new ProgressMeter(cmd.getErr(), terminal && !quiet, verbose(cmd) && !quiet, unit);
    }

    /** Whether {@code --verbose} was given to this command or to {@code graft} itself. */
    public static boolean verbose(CommandLine cmd) {
        for (CommandLine c = cmd; c != null; c = c.getParent()) {
            if (c.getParseResult() != null && c.getParseResult().hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Before the first item; {@code totalBytes} 0 when rates in bytes mean nothing. */
    public void start(int items, long totalBytes) {
        this.start = System.nanoTime();
        this.total = items;
        this.totalBytes = totalBytes;
    }

    /** After an item; {@code detail} is printed after its name in verbose mode. */
    public void step(String name, String detail, long itemBytes) {
        int n = done.incrementAndGet();
        long b = bytes.addAndGet(itemBytes);
        if (perItem) {
            synchronized (err) {
                err.printf("  [%d/%d] %s%s%n", n, total, name, detail.isEmpty() ? "" : " " + detail);
                err.flush();
            }
            return;
        }
        long now = System.nanoTime();
        if (bar && (now - lastDraw > REDRAW_NANOS || n == total)) {
            lastDraw = now;
            draw(n, b, now);
        }
    }

    private void draw(int n, long b, long now) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        long eta;
        if (totalBytes > 0) {
            double rate = b / seconds;
            eta = rate > 0 ? (long) ((totalBytes - b) / rate) : 0;
        } else {
            eta = n > 0 ? (long) ((total - n) * seconds / n) : 0;
        }
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * n / total);
        String rate = totalBytes > 0 ? "  " + ByteSize.format((long) (b / seconds)) + "/s" : "";
        synchronized (err) {
            err.printf("\r[%s%s] %d/%d %s  %.1f %s/s%s  ETA %d:%02d ", "#".repeat(filled), " ".repeat(WIDTH - filled),
                    n, total, unit, n / seconds, unit, rate, eta / 60, eta % 60);
            err.flush();
        }
    }

    /** Clears the bar. */
    public void finish() {
        if (bar && !perItem) {
            synchronized (err) {
                err.print("\r" + " ".repeat(WIDTH + 70) + "\r");
                err.flush();
            }
        }
    }
}
