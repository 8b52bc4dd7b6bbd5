package dev.graft.core.plan;

import dev.graft.core.method.MergeMethod;
import dev.graft.core.vocab.VocabularyPlan;
import dev.graft.formats.model.ModelConfig;

import java.util.List;
import java.util.Optional;

/**
 * A merge, fully decided before any math: the method, the input models, one task per output tensor, and what goes
 * beside the tensors in the output. Built by {@link Planner}, which reports every problem it finds at once; run by
 * {@link dev.graft.core.exec.Executor}.
 *
 * @param method     the merge method
 * @param models     the input models, in recipe order
 * @param baseModel  index into {@code models} of the base model, or -1
 * @param tasks      one per output tensor, in output name order
 * @param config     the {@code config.json} to write (the donor's, dtype updated), if the donor has one
 * @param donor      index of the model whose config and tokenizer files are copied
 * @param recipeText the recipe as given (YAML), for the model card
 * @param warnings   things the user should know (vocabulary cut to common rows, tied embeddings used …)
 * @param linesAuto  LiNeS with {@code alpha: auto}: each task's {@code linesScale} holds only its block term
 *                   {@code beta·i/(L−1)}, and the executor adds the alpha it measures in a first pass
 * @param vocabulary the output vocabulary and tokenizer files, when the request sets a tokenizer source or a chat
 *                   template
 */
public record Plan(MergeMethod method, List<PlannedModel> models, int baseModel, List<TensorTask> tasks,
                   Optional<ModelConfig> config, int donor, String recipeText, List<String> warnings,
                   boolean linesAuto, Optional<VocabularyPlan> vocabulary) {
    public Plan {
        models = List.copyOf(models);
        tasks = List.copyOf(tasks);
        warnings = List.copyOf(warnings);
        java.util.Objects.requireNonNull(vocabulary, "vocabulary");
    }

    /** A plan that copies the donor's tokenizer files. */
    public Plan(MergeMethod method, List<PlannedModel> models, int baseModel, List<TensorTask> tasks,
                Optional<ModelConfig> config, int donor, String recipeText, List<String> warnings, boolean linesAuto) {
        this(method, models, baseModel, tasks, config, donor, recipeText, warnings, linesAuto, Optional.empty());
    }

    /** Bytes of tensor data the output will hold. */
    public long outputBytes() {
        return tasks.stream().mapToLong(t -> t.output().byteSize()).sum();
    }
}
