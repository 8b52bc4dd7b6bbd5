package dev.graft.core.recipe;

import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.method.ParameterDef;
import dev.graft.core.plan.LinesSetting;
import dev.graft.core.plan.MergeRequest;
import dev.graft.core.plan.ParameterSource;
import dev.graft.core.plan.PlannedModel;
import dev.graft.core.plan.Routing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Turns a parsed {@link Recipe} into the {@link MergeRequest} the planner takes. */
public final class RecipeRequests {
    private RecipeRequests() {
    }

    /**
     * @param workingDir relative model paths resolve against it, as in mergekit
     * @throws RecipeException for features not supported yet and for parameter names the method does not
     *                         declare, all listed
     */
    public static MergeRequest toRequest(Recipe recipe, MethodRegistry methods, Path workingDir) {
        checkSupported(recipe);
        Optional<MergeMethod> method = methods.find(recipe.mergeMethod());
        List<ModelRef> inputs = new ArrayList<>(recipe.inputs());
        Optional<ModelRef> base = recipe.baseModel();
        if (method.isPresent() && method.get().baseModel() == BaseModel.OPTIONAL && base.isPresent()
                && !recipe.listedModels().contains(base.get())) {
            // mergekit appends an unlisted base as an input; methods that do not compute with a base ignore it.
            inputs.remove(base.get());
        }
        method.ifPresent(m -> checkParameterNames(recipe, m));
        List<PlannedModel> models = inputs.stream()
                .map(m -> new PlannedModel(m.toString(), m.resolve(workingDir))).toList();
        int baseIndex = base.map(inputs::indexOf).orElse(-1);
        // A models: recipe is one slice; a slices: recipe's routes carry each slice's own parameters, and the
        // first slice's stand for the request.
        ParameterSource parameters = new ResolvedParameters(recipe.resolver(recipe.outputSlices(m -> 1).getFirst()),
                inputs);
        Optional<Routing> routing = recipe.isSliced() ? Optional.of(new SliceRouting(recipe, inputs)) : Optional.empty();
        Optional<LinesSetting> lines = recipe.lines().map(l -> new LinesSetting(l.alpha(), l.beta()));
        return new MergeRequest(recipe.mergeMethod(), models, baseIndex, parameters, recipe.dtype(), recipe.outDtype(),
                lines, recipe.seed().orElse(0L), recipe.sourceText(), routing);
    }

    /** Features the recipe format has that Graft does not implement yet: refused, never silently ignored. */
    private static void checkSupported(Recipe recipe) {
        List<String> problems = new ArrayList<>();
        List<ModelRef> refs = new ArrayList<>(recipe.listedModels());
        recipe.baseModel().ifPresent(refs::add);
        for (ModelRef m : refs) {
            if (m.lora().isPresent()) {
                problems.add("model " + m + ": +lora references are not supported yet; merge the adapter into the "
                        + "model first");
            }
            if (m.revision().isPresent()) {
                problems.add("model " + m + ": @revision is not supported (Graft reads local folders only)");
            }
        }
        recipe.tokenizerSource().filter(t -> !Recipe.TOKENIZER_BASE.equals(t)).ifPresent(t -> problems.add(
                "tokenizer_source: " + t + " is not supported yet; remove it (or use base) to copy the base model's "
                        + "tokenizer files"));
        if (recipe.padToMultipleOf().isPresent()) {
            problems.add("tokenizer.pad_to_multiple_of is not supported yet");
        }
        if (recipe.chatTemplate().isPresent()) {
            problems.add("chat_template is not supported yet; the base model's tokenizer files are copied as they are");
        }
        if (!problems.isEmpty()) {
            throw new RecipeException(recipe.source(), problems);
        }
    }

    private static void checkParameterNames(Recipe recipe, MergeMethod method) {
        Set<String> known = new TreeSet<>();
        method.globalParameters().stream().map(ParameterDef::name).forEach(known::add);
        method.modelParameters().stream().map(ParameterDef::name).forEach(known::add);
        List<String> problems = new ArrayList<>();
        for (Parameters block : recipe.parameterBlocks()) {
            for (String name : block.names()) {
                if (!known.contains(name)) {
                    problems.add(block.locationOf(name) + ": " + method.name() + " has no parameter \"" + name
                            + "\" (its parameters: " + String.join(", ", known) + ")");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RecipeException(recipe.source(), problems);
        }
    }
}
