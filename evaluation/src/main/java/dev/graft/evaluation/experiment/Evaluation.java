package dev.graft.evaluation.experiment;

import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.lmtrain.LlamaTrainer;
import dev.graft.evaluation.merge.LlamaMerger;
import dev.graft.evaluation.reconstruct.DeltaReconstruction;
import dev.graft.evaluation.text.PretrainingText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs a whole evaluation: one pre-training, then per seed the fine-tunes, multi-task merging, negation and the
 * reconstructions, then per merge-only seed the fine-tunes and merges of its one task count. Training and scoring
 * are deterministic at any thread count, so the results depend only on the config.
 *
 * <pre>{@code
 * EvaluationResults r = new Evaluation(EvaluationConfig.full(2), List.of(), System.err::println).run(workDir);
 * }</pre>
 */
public final class Evaluation {
    private final EvaluationConfig config;
    private final List<DeltaReconstruction> reconstructions;
    private final Consumer<String> progress;

    /**
     * @param reconstructions adapters and compressors to score (may be empty)
     * @param progress        receives one line per finished phase, from the threads the seeds run on
     */
    public Evaluation(EvaluationConfig config, List<DeltaReconstruction> reconstructions, Consumer<String> progress) {
        this.config = config;
        this.reconstructions = List.copyOf(reconstructions);
        this.progress = progress;
    }

    /** Runs every seed, using (and then deleting) sub-folders of {@code workDir}. */
    public EvaluationResults run(Path workDir) {
        long start = System.nanoTime();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        LlamaTrainer trainer = new LlamaTrainer(config.threads(), line -> { });
        PretrainingText text = new PretrainingText(config.pretrainingSeed(), config.promptShare(),
                config.answerShares(), config.mixtureTasks());
        LlamaWeights base = trainer.pretrain(config.shape(), config.pretrainingSeed(), text, config.pretraining());
        progress.accept(String.format("pre-trained (%.0f s)", (System.nanoTime() - start) / 1e9));
        // seeds are independent and each is deterministic at any thread count, so they run side by side, one
        // thread each: a seed's scoring and training use two threads less well than two seeds use one each
        List<Long> jobs = Stream.concat(config.seeds().stream(), config.mergeOnlySeeds().stream()).toList();
        int parallel = Math.max(1, Math.min(config.threads(), jobs.size()));
        int inner = Math.max(1, config.threads() / parallel);
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "graft-eval-seed");
            t.setDaemon(true);
            return t;
        });
        List<Future<SeedRows>> pending = new ArrayList<>();
        try {
            for (long seed : jobs) {
                boolean whole = config.seeds().contains(seed);
                pending.add(pool.submit(() -> runSeed(base, seed, whole, inner, workDir)));
            }
            List<MergeOutcome> merges = new ArrayList<>();
            List<NegationOutcome> negations = new ArrayList<>();
            List<ReconstructionOutcome> recon = new ArrayList<>();
            List<Interference> interference = new ArrayList<>();
            List<FineTuneOutcome> fineTunes = new ArrayList<>();
            for (Future<SeedRows> f : pending) {
                SeedRows rows = await(f);
                fineTunes.addAll(rows.fineTunes());
                merges.addAll(rows.merges());
                negations.addAll(rows.negations());
                recon.addAll(rows.reconstructions());
                interference.addAll(rows.interference());
            }
            String conditions = String.format("%d cores visible, %d threads, system load average %.1f before and "
                            + "%.1f after", Runtime.getRuntime().availableProcessors(), config.threads(), loadBefore,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            return new EvaluationResults(config, fineTunes, merges, negations, recon, interference,
                    (System.nanoTime() - start) / 1e9, conditions, "");
        } finally {
            pool.shutdownNow();
            // close() waits: after a failure the other seeds may still be writing under workDir, which callers
            // delete once this returns
            pool.close();
        }
    }

    /**
     * One seed: a whole one fine-tunes every task and runs merging at every task count, negation, the
     * reconstructions and interference; a merge-only one fine-tunes its count's tasks and merges them at that count.
     */
    private SeedRows runSeed(LlamaWeights base, long seed, boolean whole, int threads, Path workDir)
            throws IOException {
        Path dir = workDir.resolve("seed" + seed);
        try {
            Files.createDirectories(dir);
            long t0 = System.nanoTime();
            int count = whole ? config.taskCount() : config.mergeOnlyTasks();
            FineTunedTasks suite = new FineTunedTasks(base, config.withThreads(threads),
                    new LlamaTrainer(threads, line -> { }), seed, count);
            List<FineTuneOutcome> fineTunes = FineTuneOutcome.of(suite, seed);
            LlamaMerger merger = new LlamaMerger(base, suite.fineTunes(), dir.resolve("merges"), seed);
            if (!whole) {
                List<MergeOutcome> merges = MergingExperiment.run(suite, merger, List.of(count), config.methods(),
                        config.screen(), seed);
                report(seed, "fine-tuned and merged " + count + " tasks (" + merger.merges() + " merges)", t0);
                return new SeedRows(fineTunes, merges, List.of(), List.of(), List.of());
            }
            report(seed, "fine-tuned " + count + " tasks", t0);
            List<MergeOutcome> merges = MergingExperiment.run(suite, merger, config.taskCounts(), config.methods(),
                    config.screen(), seed);
            report(seed, "merged (" + merger.merges() + " merges)", t0);
            List<NegationOutcome> negations = NegationExperiment.run(suite, merger, config.negationTargets(), seed);
            report(seed, "negated", t0);
            List<ReconstructionOutcome> recon = ReconstructionExperiment.run(suite, merger, reconstructions,
                    dir.resolve("recon"), seed);
            if (!reconstructions.isEmpty()) {
                report(seed, "reconstructions done", t0);
            }
            return new SeedRows(fineTunes, merges, negations, recon, List.of(Interference.measure(suite, seed)));
        } finally {
            deleteTree(dir);
        }
    }

    /** The seed's rows, or its failure as thrown. */
    private static SeedRows await(Future<SeedRows> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the seeds ran", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** What one seed measured. */
    private record SeedRows(List<FineTuneOutcome> fineTunes, List<MergeOutcome> merges,
                            List<NegationOutcome> negations, List<ReconstructionOutcome> reconstructions,
                            List<Interference> interference) {
    }

    private void report(long seed, String what, long t0) {
        progress.accept(String.format("seed %d: %s (%.0f s)", seed, what, (System.nanoTime() - t0) / 1e9));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
