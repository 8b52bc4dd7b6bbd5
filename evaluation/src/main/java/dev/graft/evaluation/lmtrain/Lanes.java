package dev.graft.evaluation.lmtrain;

import dev.graft.evaluation.llama.LlamaPass;
import dev.graft.evaluation.llama.LlamaShape;

import dev.graft.core.exec.Parallel;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A fixed number of work lanes, each with its own {@link LlamaPass}, run on as many threads as asked. Item
 * {@code i} of a batch always goes to lane {@code i mod COUNT}, and each lane works through its items in order, so
 * whatever a lane accumulates, and a fixed-order reduction over the lanes, comes out the same bits at any thread
 * count.
 */
final class Lanes {
    /** Lanes in all: the most threads that can help. */
    static final int COUNT = 8;
    private static final List<Integer> ALL = IntStream.range(0, COUNT).boxed().toList();

    /** Work on one item in one lane. */
    @FunctionalInterface
    interface Item {
        void run(int lane, LlamaPass pass, int index);
    }

    private final LlamaPass[] passes = new LlamaPass[COUNT];
    private final int threads;

    Lanes(LlamaShape shape, int capacity, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        for (int i = 0; i < COUNT; i++) {
            passes[i] = new LlamaPass(shape, capacity);
        }
        this.threads = Math.min(threads, COUNT);
    }

    /** Runs {@code item} on items {@code 0..n-1}, returning when all are done. */
    void forEach(int n, Item item) {
        Parallel.run(threads, "graft-eval-lane", ALL, lane -> {
            for (int i = lane; i < n; i += COUNT) {
                item.run(lane, passes[lane], i);
            }
        });
    }

    /**
     * {@link #forEach} with lane {@code l} taking the {@code l}-th of {@code COUNT} consecutive runs of items
     * instead of every {@code COUNT}-th item: for items that reuse what their lane's pass computed for the item
     * before them (sorted prompts sharing prefixes), where only per-item results, not a lane's running sums, count.
     */
    void forEachRun(int n, Item item) {
        Parallel.run(threads, "graft-eval-lane", ALL, lane -> {
            for (int i = (int) ((long) n * lane / COUNT), end = (int) ((long) n * (lane + 1) / COUNT); i < end; i++) {
                item.run(lane, passes[lane], i);
            }
        });
    }
}
