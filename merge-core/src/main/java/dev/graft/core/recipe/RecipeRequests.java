package dev.graft.core.recipe;

import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.method.ParameterDef;
import dev.graft.core.plan.LinesSetting;
import dev.graft.core.plan.MergeRequest;
import dev.graft.core.plan.ParameterSource;
import dev.graft.core.plan.PlannedModel;

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
     * @throws RecipeException for {@code slices:} recipes (not supported yet) and for parameter names the method
     *                         does not declare, all listed
     */
    public static MergeRequest toRequest(Recipe recipe, MethodRegistry methods, Path workingDir) {
        if (recipe.isSliced()) {
            throw new RecipeException(recipe.source(), "slices: recipes (layer ranges, frankenmerges) are not "
                    + "supported yet; describe the merge with models:");
        }
        Optional<MergeMethod> method = methods.find(recipe.mergeMethod());
        List<ModelRef> inputs = new ArrayList<>(recipe.inputs());
        Optional<ModelRef> base = recipe.baseModel();
        if (method.isPresent() && method.get().baseModel() == BaseModel.OPTIONAL && base.isPresent()
                && !recipe.listedModels().contains(base.get())) {
            // mergekit appends an unlisted base as an input; methods that do not compute with a base ignore it.
            inputs.remove(base.get());
        }
        method.ifPresent(m -> checkParameterNames(recipe, m));
        ParameterResolver resolver = recipe.resolver(recipe.outputSlices(m -> 1).getFirst());
        List<PlannedModel> models = inputs.stream()
                .map(m -> new PlannedModel(m.toString(), m.resolve(workingDir))).toList();
        int baseIndex = base.map(inputs::indexOf).orElse(-1);
        ParameterSource parameters = new ParameterSource() {
            @Override
            public Optional<Object> modelParameter(int model, String name, String tensorName, double t) {
                return resolver.perModel(name, inputs.get(model), tensorName, t).map(ParameterValue::value);
            }

            @Override
            public Optional<Object> globalParameter(String name, String tensorName, double t) {
                return resolver.global(name, tensorName, t).map(ParameterValue::value);
            }
        };
        Optional<LinesSetting> lines = recipe.lines().map(l -> new LinesSetting(l.alpha(), l.beta()));
        return new MergeRequest(recipe.mergeMethod(), models, baseIndex, parameters, recipe.dtype(), recipe.outDtype(),
                lines, recipe.seed().orElse(0L), recipe.sourceText());
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
