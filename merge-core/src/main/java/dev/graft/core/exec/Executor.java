package dev.graft.core.exec;

import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.TaskInput;
import dev.graft.core.plan.TensorTask;
import dev.graft.formats.io.OutputClaim;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.simd.VectorWork;
import dev.graft.formats.tensor.TensorDataSink;
import dev.graft.formats.tensor.FiniteScan;
import dev.graft.formats.tensor.NonFiniteValuesException;
import dev.graft.formats.tensor.Tensor;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;

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
        // Before any work: the output is no input, no other process writes it, and it fits.
        OutputClaim claim = MergeOutput.claim(target, options.overwrite(),
                sources.stream().flatMap(s -> s.inputs().stream()).toList(), plan.outputBytes());
        try {
            if (plan.linesAuto()) {
                double alpha = LinesAlpha.measure(plan, sources);
                warnings.add(String.format("LiNeS alpha: auto measured alpha = %.6g", alpha));
                plan = withLinesAlpha(plan, alpha);
            }
        } catch (RuntimeException e) {
            claim.close();
            throw e;
        }
        options.progress().started(plan);
        try (MergeOutput out = open(plan, sources, claim, target)) {
            runTasks(plan, sources, out, target);
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
                    t.parameters().withLinesScale(alpha + t.parameters().linesScale()), t.computeDtype(), false,
                    t.rows()));
        }
        return new Plan(plan.method(), plan.models(), plan.baseModel(), tasks, plan.config(), plan.donor(),
                plan.recipeText(), plan.warnings(), false, plan.vocabulary());
    }

    private MergeOutput open(Plan plan, List<ModelSource> sources, OutputClaim claim, Path target) {
        try {
            Path donor = plan.donor() < 0 ? null : DonorFiles.folderOf(sources.get(plan.donor()).path());
            Map<String, String> extras = new LinkedHashMap<>();
            extras.put("README.md", ModelCard.render(target.getFileName().toString(), plan));
            extras.put(MergeOutput.RECIPE_FILE, plan.recipeText());
            Set<String> replaced = Set.of();
            if (plan.vocabulary().isPresent() && donor != null) {
                // The merged tokenizer files, in place of the donor's.
                extras.putAll(plan.vocabulary().get().files(donor));
                replaced = plan.vocabulary().get().replacedFiles();
            }
            return MergeOutput.open(claim, plan.tasks().stream().map(TensorTask::output).toList(),
                    plan.config().orElse(null), donor, replaced, extras, options.maxShardBytes(), options.ggufTypes());
        } catch (RuntimeException e) {
            claim.close();
            throw e;
        }
    }

    private void runTasks(Plan plan, List<ModelSource> sources, MergeOutput out, Path target) {
        TensorKernel kernel = plan.method().kernel();
        VectorWork.expect(elementsRead(plan));
        Parallel.run(options.threads(), "graft-merge", plan.tasks(), task -> {
            runTask(plan.method().name(), kernel, task, sources, out, target);
            options.progress().tensorDone(task);
        });
    }

    /** Every merged tensor's elements once per input: what the merge decodes in one pass over its inputs. */
    static long elementsRead(Plan plan) {
        long total = 0;
        for (TensorTask t : plan.tasks()) {
            if (!t.passthrough()) {
                total += t.readShape().elementCount() * t.inputs().size();
            }
        }
        return total;
    }

    private void runTask(String method, TensorKernel kernel, TensorTask task, List<ModelSource> sources,
                         MergeOutput out, Path target) {
        try (Arena arena = Arena.ofConfined();
             TensorDataSink sink = out.sink(task.name())) {
            if (task.passthrough()) {
                TaskInput first = task.inputs().getFirst();
                ModelSource model = sources.get(first.model());
                Tensor in = model.tensor(first.spec().name(), arena);
                if (!options.allowNonFinite()) {
                    // A copied tensor is an input like any other: NaN in it would be published unnoticed.
                    FiniteScan.requireFinite(model.path(), in);
                }
                sink.writeFrom(in);
                return;
            }
            try (MappedTensorInputs inputs = new MappedTensorInputs(task, sources, arena, cache)) {
                long[] produced = new long[1];
                kernel.merge(inputs, task.parameters(), (values, from, count) -> {
                    produced[0] += FiniteScan.countNonFinite(values, from, count);
                    sink.writeFloats(values, from, count);
                });
                boolean finiteInputs = inputs.allFinite(!options.allowNonFinite());
                if (produced[0] > 0 && finiteInputs) {
                    throw new NonFiniteValuesException(target, task.name(), produced[0], "the " + method
                            + " merge of tensor \"" + task.name() + "\" gave " + produced[0] + " non-finite values "
                            + "from finite inputs (do the weights or parameters overflow float32?); nothing was written");
                }
            }
        }
    }
}
