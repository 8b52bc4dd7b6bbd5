package dev.graft.formats.simd;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether this process has work enough ahead for the loops written on the Vector API to repay their start.
 *
 * <p>Compiled by C2, those loops are several times faster than their scalar forms. Until then they run as the Vector
 * API's allocating fallbacks, and compiling them costs C2 seconds of a two-core machine's time: a cost every process
 * pays again, which only enough work repays. Measured cold on this project's 2-core machine (docs/benchmarks.md,
 * "Seventh pass"), TIES at density 0.2 on three bf16 fine-tunes and their base: at 135 M parameters 4.7–5.9 s with
 * the vector loops against 3.5–4.3 s without; at 389 M, 5.0–5.9 s with them against 5.7–7.4 s without; at 748 M
 * they save about 1.5 s.
 *
 * <p>So the commands that stream whole models announce their work before they start ({@link #expect}): the
 * elements they read, counting each input once (a merge of three fine-tunes and a base: four times the model's
 * parameters). Once this process has announced {@value #DEFAULT_THRESHOLD} of them (2^30, a 270 M-parameter merge
 * of three fine-tunes), the vector loops are used from then on. Work that announces nothing runs the scalar loops.
 * Both forms give the same results to the bit, so this decides speed only.
 *
 * <p>{@code -Dgraft.simd.work=N} sets the threshold: 0 uses the vector loops from the start (the tests do, to run
 * them), a very large N never.
 */
public final class VectorWork {
    /** Elements announced before the vector loops take over, unless {@code graft.simd.work} says otherwise. */
    public static final long DEFAULT_THRESHOLD = 1L << 30;

    private static final VectorWork PROCESS = new VectorWork(Long.getLong("graft.simd.work", DEFAULT_THRESHOLD));

    private final long threshold;
    private final AtomicLong expected = new AtomicLong();
    private volatile boolean worth;

    /** A tally of its own, for tests; the process's is behind the static methods. */
    VectorWork(long threshold) {
        this.threshold = threshold;
        this.worth = threshold <= 0;
    }

    /**
     * Announces work about to start in this process: {@code elements} read (each input's elements once).
     *
     * @param elements how many; zero or negative counts as none
     */
    public static void expect(long elements) {
        PROCESS.add(elements);
    }

    /**
     * Whether the vector loops are worth using now: true once the work announced in this process reaches
     * {@link #threshold()}, and from then on. It says nothing about whether they can run (the incubator module, the
     * vector width): each user checks that itself.
     */
    public static boolean worthIt() {
        return PROCESS.worth;
    }

    /** The elements of work from which this process uses the vector loops. */
    public static long threshold() {
        return PROCESS.threshold;
    }

    void add(long elements) {
        if (!worth && elements > 0 && expected.accumulateAndGet(elements, VectorWork::saturatingAdd) >= threshold) {
            worth = true;
        }
    }

    boolean worth() {
        return worth;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
