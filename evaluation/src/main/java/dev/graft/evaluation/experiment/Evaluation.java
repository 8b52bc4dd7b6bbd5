package dev.graft.evaluation.experiment;

import dev.graft.evaluation.merge.TrunkMerger;
import dev.graft.evaluation.net.Trunk;
import dev.graft.evaluation.reconstruct.DeltaReconstruction;
import dev.graft.evaluation.train.Trainer;

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
 * Runs a whole evaluation: per seed, pre-training, fine-tuning, multi-task merging, negation, the sign-conflict
 * ablation and the reconstructions. Seeds run in parallel; everything inside a seed is sequential and depends only
 * on the seed, so results do not depend on the thread count.
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
     * @param progress        receives one line per finished phase of a seed
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
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, config.threads()));
        try {
            List<Future<SeedResult>> futures = new ArrayList<>();
            for (long seed : config.seeds()) {
                futures.add(pool.submit(() -> runSeed(seed, workDir.resolve("seed" + seed))));
            }
            List<MergeOutcome> merges = new ArrayList<>();
            List<NegationOutcome> negations = new ArrayList<>();
            List<AblationOutcome> ablation = new ArrayList<>();
            List<ReconstructionOutcome> recon = new ArrayList<>();
            List<Interference> interference = new ArrayList<>();
            for (Future<SeedResult> f : futures) {
                SeedResult r = get(f);
                merges.addAll(r.merges);
                negations.addAll(r.negations);
                ablation.addAll(r.ablation);
                recon.addAll(r.reconstructions);
                interference.add(r.interference);
            }
            String conditions = String.format("%d cores visible, %d threads, system load average %.1f before and "
                            + "%.1f after", Runtime.getRuntime().availableProcessors(), config.threads(), loadBefore,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            return new EvaluationResults(config, merges, negations, ablation, recon, interference,
                    (System.nanoTime() - start) / 1e9, conditions, "");
        } finally {
            pool.shutdownNow();
        }
    }

    private record SeedResult(List<MergeOutcome> merges, List<NegationOutcome> negations,
                              List<AblationOutcome> ablation, List<ReconstructionOutcome> reconstructions,
                              Interference interference) {
    }

    private SeedResult runSeed(long seed, Path dir) {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dir.resolve("ablation"));
            TaskSuite world = TaskSuite.of(config, seed);
            Trunk base = new Trainer(config.training()).pretrain(config.shape(), world.pretraining(), world.region(),
                    config.classes(), seed);
            report(seed, "pre-trained", t0);
            FineTunedTasks suite = new FineTunedTasks(base, world.tasks(), config, seed);
            report(seed, "fine-tuned " + suite.size() + " tasks", t0);
            TrunkMerger merger = new TrunkMerger(base, suite.fineTunes(), dir, seed);
            List<MergeOutcome> merges = MergingExperiment.run(suite, merger, config.taskCounts(), seed);
            report(seed, "merged (" + merger.merges() + " merges)", t0);
            List<NegationOutcome> negations = NegationExperiment.run(suite, merger, config.negationTargets(),
                    config.classes(), seed);
            report(seed, "negated", t0);
            List<AblationOutcome> ablation = config.seeds().indexOf(seed) < config.ablationSeeds()
                    ? SignConflictAblation.run(base, config, seed, dir.resolve("ablation"))
                    : List.of();
            if (!ablation.isEmpty()) {
                report(seed, "ablation done", t0);
            }
            List<ReconstructionOutcome> recon = ReconstructionExperiment.run(suite, reconstructions, dir, seed);
            if (!recon.isEmpty()) {
                report(seed, "reconstructions done", t0);
            }
            return new SeedResult(merges, negations, ablation, recon, Interference.measure(suite, seed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(dir);
        }
    }

    private void report(long seed, String what, long t0) {
        progress.accept(String.format("seed %d: %s (%.0f s)", seed, what, (System.nanoTime() - t0) / 1e9));
    }

    private static SeedResult get(Future<SeedResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
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
