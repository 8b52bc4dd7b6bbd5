package dev.graft.core.exec;

import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.PlannedModel;
import dev.graft.core.plan.Planner;
import dev.graft.core.plan.MergeRequest;
import dev.graft.formats.gguf.GgufFile;
import dev.graft.formats.gguf.export.GgufAsHuggingFace;
import dev.graft.formats.lora.AdaptedModel;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.model.OverriddenArchitecture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A merge request from start to finish: opens the models, plans (every problem reported before any math), runs
 * and closes the models. What the CLI, recipes and the Java builder all call. A model with an adapter
 * ({@code model+lora}) is opened as an {@link AdaptedModel}: its tensors have the adapter applied as they are read;
 * one with an architecture override ({@code override_architecture}) as an {@link OverriddenArchitecture}.
 * GGUF files merged only with each other keep their GGUF names; merged with a Hugging Face model (or given an
 * adapter) they are read under Hugging Face names ({@link GgufAsHuggingFace}).
 */
public final class MergeJob {
    private final MethodRegistry methods;
    private final MergeOptions options;

    public MergeJob(MethodRegistry methods, MergeOptions options) {
        this.methods = methods;
        this.options = options;
    }

    /** Plans without merging (a dry run); the models are opened to check them and closed again. */
    public Plan plan(MergeRequest request) {
        return withSources(request, sources -> new Planner(methods).plan(request, sources));
    }

    /** Plans and merges into {@code target} (a {@code .safetensors} file or a folder). */
    public MergeReport run(MergeRequest request, Path target) {
        return withSources(request, sources -> {
            Plan plan = new Planner(methods).plan(request, sources);
            return new Executor(options).run(plan, sources, target);
        });
    }

    /**
     * Opens every model, a {@code model+lora} one with its adapter checked against it, so that a wrong adapter is
     * refused before any work.
     */
    private <T> T withSources(MergeRequest request, Function<List<ModelSource>, T> work) {
        List<ModelSource> sources = new ArrayList<>();
        boolean hfNames = request.models().stream()
                .anyMatch(m -> !GgufFile.isGgufName(m.path()) || m.adapter().isPresent());
        try {
            for (PlannedModel m : request.models()) {
                ModelSource model = hfNames && GgufFile.isGgufName(m.path()) ? GgufAsHuggingFace.open(m.path())
                        : ModelSource.open(m.path());
                if (m.architecture().isPresent()) {
                    model = OverriddenArchitecture.of(model, m.architecture().get());
                }
                sources.add(m.adapter().isEmpty() ? model
                        : AdaptedModel.of(model, List.of(m.adapter().get()), List.of(1.0), options.allowNonFinite()));
            }
            return work.apply(sources);
        } finally {
            sources.forEach(ModelSource::close);
        }
    }
}
