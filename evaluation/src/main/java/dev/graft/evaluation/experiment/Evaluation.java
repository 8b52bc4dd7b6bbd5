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
     * @param progress        receives one line per finished phase
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
        List<MergeOutcome> merges = new ArrayList<>();
        List<NegationOutcome> negations = new ArrayList<>();
        List<ReconstructionOutcome> recon = new ArrayList<>();
        List<Interference> interference = new ArrayList<>();
        List<FineTuneOutcome> fineTunes = new ArrayList<>();
        for (long seed : config.seeds()) {
            Path dir = workDir.resolve("seed" + seed);
            try {
                Files.createDirectories(dir);
                long t0 = System.nanoTime();
                FineTunedTasks suite = new FineTunedTasks(base, config, trainer, seed);
                fineTunes.addAll(FineTuneOutcome.of(suite, seed));
                report(seed, "fine-tuned " + suite.size() + " tasks", t0);
                LlamaMerger merger = new LlamaMerger(base, suite.fineTunes(), dir.resolve("merges"), seed);
                merges.addAll(MergingExperiment.run(suite, merger, config.taskCounts(), config.methods(),
                        config.screen(), seed));
                report(seed, "merged (" + merger.merges() + " merges)", t0);
                negations.addAll(NegationExperiment.run(suite, merger, config.negationTargets(), seed));
                report(seed, "negated", t0);
                recon.addAll(ReconstructionExperiment.run(suite, merger, reconstructions, dir.resolve("recon"),
                        seed));
                if (!reconstructions.isEmpty()) {
                    report(seed, "reconstructions done", t0);
                }
                interference.add(Interference.measure(suite, seed));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                deleteTree(dir);
            }
        }
        for (long seed : config.mergeOnlySeeds()) {
            Path dir = workDir.resolve("seed" + seed);
            try {
                Files.createDirectories(dir);
                long t0 = System.nanoTime();
                FineTunedTasks suite = new FineTunedTasks(base, config, trainer, seed, config.mergeOnlyTasks());
                fineTunes.addAll(FineTuneOutcome.of(suite, seed));
                LlamaMerger merger = new LlamaMerger(base, suite.fineTunes(), dir.resolve("merges"), seed);
                merges.addAll(MergingExperiment.run(suite, merger, List.of(config.mergeOnlyTasks()),
                        config.methods(), config.screen(), seed));
                report(seed, "fine-tuned and merged " + suite.size() + " tasks (" + merger.merges() + " merges)", t0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                deleteTree(dir);
            }
        }
        String conditions = String.format("%d cores visible, %d threads, system load average %.1f before and "
                        + "%.1f after", Runtime.getRuntime().availableProcessors(), config.threads(), loadBefore,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return new EvaluationResults(config, fineTunes, merges, negations, recon, interference,
                (System.nanoTime() - start) / 1e9, conditions, "");
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
