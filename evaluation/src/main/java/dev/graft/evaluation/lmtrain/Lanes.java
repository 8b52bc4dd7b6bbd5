package dev.graft.evaluation.lmtrain;

import dev.graft.evaluation.llama.LlamaPass;
import dev.graft.evaluation.llama.LlamaShape;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed number of work lanes, each with its own {@link LlamaPass}, run on as many threads as asked. Item
 * {@code i} of a batch always goes to lane {@code i mod COUNT}, and each lane works through its items in order, so
 * whatever a lane accumulates, and a fixed-order reduction over the lanes, comes out the same bits at any thread
 * count.
 */
final class Lanes implements AutoCloseable {
    /** Lanes in all: the most threads that can help. */
    static final int COUNT = 8;

    /** Work on one item in one lane. */
    @FunctionalInterface
    interface Item {
        void run(int lane, LlamaPass pass, int index);
    }

    private final LlamaPass[] passes = new LlamaPass[COUNT];
    private final ExecutorService pool;

    Lanes(LlamaShape shape, int capacity, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        for (int i = 0; i < COUNT; i++) {
            passes[i] = new LlamaPass(shape, capacity);
        }
        this.pool = Executors.newFixedThreadPool(Math.min(threads, COUNT), r -> {
            Thread t = new Thread(r, "graft-eval-lane");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code item} on items {@code 0..n-1}, returning when all are done. */
    void forEach(int n, Item item) {
        List<Future<?>> done = new ArrayList<>();
        for (int lane = 0; lane < COUNT; lane++) {
            int l = lane;
            done.add(pool.submit(() -> {
                for (int i = l; i < n; i += COUNT) {
                    item.run(l, passes[l], i);
                }
            }));
        }
        for (Future<?> f : done) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
