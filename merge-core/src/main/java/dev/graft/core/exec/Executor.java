package dev.graft.core.exec;

import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.TensorTask;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a {@link Plan}: tensor by tensor, several at once, each read from memory maps in row-aligned chunks,
 * merged by the method's kernel and streamed to the output. Peak memory is a few chunks per running tensor plus
 * the pages of the tensors being read, whatever the model size.
 *
 * <p>The output is a single {@code .safetensors} file when the target's name ends so, else a Hugging Face folder;
 * either appears under its final name only once complete.
 */
public final class Executor {
    private final MergeOptions options;
    private final InputCache cache;

    public Executor(MergeOptions options) {
        this.options = options;
        this.cache = new InputCache(options.cacheBytes());
    }

    /**
     * Merges.
     *
     * @param plan    the plan
     * @param sources the plan's models, opened, in {@link Plan#models()} order
     * @param target  a {@code .safetensors} file or a folder
     */
    public MergeReport run(Plan plan, List<ModelSource> sources, Path target) {
        long start = System.nanoTime();
        List<String> warnings = new ArrayList<>(plan.warnings());
        if (plan.linesAuto()) {
            double alpha = LinesAlpha.measure(plan, sources);
            warnings.add(String.format("LiNeS alpha: auto measured alpha = %.6g", alpha));
            plan = withLinesAlpha(plan, alpha);
        }
        options.progress().started(plan);
        try (MergeOutput out = open(plan, sources, target)) {
            runTasks(plan, sources, out);
            Path published = out.commit();
            MergeReport report = new MergeReport(published, plan.tasks().size(), plan.outputBytes(),
                    (System.nanoTime() - start) / 1e9, warnings);
            options.progress().finished(report);
            return report;
        }
    }

    /** The plan with the measured alpha added to every task's LiNeS block term. */
    private static Plan withLinesAlpha(Plan plan, double alpha) {
        List<TensorTask> tasks = new ArrayList<>();
        for (TensorTask t : plan.tasks()) {
            tasks.add(t.passthrough() ? t : new TensorTask(t.output(), t.inputs(), t.baseInput(), t.readShape(),
                    t.parameters().withLinesScale(alpha + t.parameters().linesScale()), t.computeDtype(), false));
        }
        return new Plan(plan.method(), plan.models(), plan.baseModel(), tasks, plan.config(), plan.donor(),
                plan.recipeText(), plan.warnings(), false);
    }

    private MergeOutput open(Plan plan, List<ModelSource> sources, Path target) {
        List<TensorSpec> specs = plan.tasks().stream().map(TensorTask::output).toList();
        if (MergeOutput.isFile(target)) {
            return MergeOutput.file(target, specs, options.overwrite());
        }
        Path donor = plan.donor() < 0 ? null : folderOf(sources.get(plan.donor()).path());
        Map<String, String> texts = Map.of("README.md", ModelCard.render(target.toAbsolutePath().normalize()
                .getFileName().toString(), plan), FolderOutput.RECIPE_FILE, plan.recipeText());
        return MergeOutput.folder(target, specs, plan.config().orElse(null), donor, texts, options.overwrite(),
                options.maxShardBytes());
    }

    private static Path folderOf(Path model) {
        return Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
    }

    private void runTasks(Plan plan, List<ModelSource> sources, MergeOutput out) {
        TensorKernel kernel = plan.method().kernel();
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "graft-merge");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (TensorTask task : plan.tasks()) {
                futures.add(pool.submit(() -> {
                    runTask(kernel, task, sources, out);
                    options.progress().tensorDone(task);
                }));
            }
            for (Future<?> f : futures) {
                await(f);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void runTask(TensorKernel kernel, TensorTask task, List<ModelSource> sources, MergeOutput out) {
        try (Arena arena = Arena.ofConfined();
             SafetensorsWriter.TensorSink sink = out.sink(task.name())) {
            if (task.passthrough()) {
                Tensor in = sources.get(task.inputs().getFirst().model())
                        .tensor(task.inputs().getFirst().spec().name(), arena);
                sink.writeFrom(in);
                return;
            }
            try (MappedTensorInputs inputs = new MappedTensorInputs(task, sources, arena, cache)) {
                kernel.merge(inputs, task.parameters(), sink::writeFloats);
            }
        }
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("merge interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
