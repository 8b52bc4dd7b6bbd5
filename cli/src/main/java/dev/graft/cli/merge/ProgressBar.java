package dev.graft.cli.merge;

import dev.graft.core.exec.MergeReport;
import dev.graft.core.exec.ProgressListener;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.TensorTask;
import dev.graft.algorithms.compress.TensorProgress;
import dev.graft.formats.tensor.TensorSpec;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a merge, compression or decompression on stderr: a bar redrawn in place (tensors, bytes/s, ETA) on a
 * terminal, a line per tensor with {@code --verbose}, nothing when not a terminal or with {@code --quiet}.
 */
public final class ProgressBar implements ProgressListener, TensorProgress {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean bar;
    private final boolean perTensor;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long start;
    private volatile long lastDraw;
    private volatile int total;
    private volatile long totalBytes;

    /**
     * @param bar       redraw a progress bar (a terminal, not quiet)
     * @param perTensor print one line per finished tensor (verbose)
     */
    ProgressBar(PrintWriter err, boolean bar, boolean perTensor) {
        this.err = err;
        this.bar = bar;
        this.perTensor = perTensor;
    }

    /** The bar a command shows: on a terminal unless {@code quiet}, a line per tensor with {@code --verbose}. */
    public static ProgressBar forCommand(CommandLine cmd, boolean quiet) {
        boolean verbose = cmd.getParseResult().hasMatchedOption("--verbose")
                || (cmd.getParent() != null && cmd.getParent().getParseResult() != null
                && cmd.getParent().getParseResult().hasMatchedOption("--verbose"));
        boolean terminal = System.console() != null;
        return new ProgressBar(cmd.getErr(), terminal && !quiet, verbose && !quiet);
    }

    @Override
    public void started(Plan plan) {
        started(plan.tasks().size(), plan.outputBytes());
    }

    @Override
    public void started(int tensors, long outputBytes) {
        start = System.nanoTime();
        total = tensors;
        totalBytes = outputBytes;
    }

    @Override
    public void tensorDone(TensorTask task) {
        tensorDone(task.output());
    }

    @Override
    public void tensorDone(TensorSpec spec) {
        int n = done.incrementAndGet();
        long b = bytes.addAndGet(spec.byteSize());
        if (perTensor) {
            synchronized (err) {
                err.printf("  [%d/%d] %s %s%n", n, total, spec.name(), spec.shape());
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
        double rate = b / seconds;
        long eta = rate > 0 ? (long) ((totalBytes - b) / rate) : 0;
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * n / total);
        synchronized (err) {
            err.printf("\r[%s%s] %d/%d tensors  %.1f tensors/s  %.1f MB/s  ETA %d:%02d ", "#".repeat(filled),
                    " ".repeat(WIDTH - filled), n, total, n / seconds, rate / 1e6, eta / 60, eta % 60);
            err.flush();
        }
    }

    @Override
    public void finished(MergeReport report) {
        finished();
    }

    @Override
    public void finished() {
        if (bar && !perTensor) {
            synchronized (err) {
                err.print("\r" + " ".repeat(WIDTH + 60) + "\r");
                err.flush();
            }
        }
    }
}
