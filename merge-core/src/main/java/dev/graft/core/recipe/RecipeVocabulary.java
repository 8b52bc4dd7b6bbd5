package dev.graft.core.recipe;

import dev.graft.core.plan.Vocabulary;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A recipe's spelling of a request: each parameter as the key path where the recipe sets it
 * ({@code models[1].parameters.density}, {@code slices[0].parameters.t}, {@code parameters.lambda}), or where it
 * would go when the recipe does not set it.
 *
 * <p>The blocks are searched in the {@link ParameterResolver}'s order (the model's own block, its slice's, the
 * top level), by name only: a filter that matches no tensor still counts as setting the parameter there, which is
 * where the user would look.
 *
 * @param recipe the recipe
 * @param models the request's models, in order
 */
record RecipeVocabulary(Recipe recipe, List<ModelRef> models) implements Vocabulary {
    RecipeVocabulary {
        models = List.copyOf(models);
    }

    @Override
    public String modelParameter(int model, String label, String name) {
        ModelRef ref = models.get(model);
        List<Parameters> own = new ArrayList<>();
        List<Parameters> slices = new ArrayList<>();
        recipe.models().ifPresent(ms -> ms.stream().filter(m -> m.model().equals(ref))
                .forEach(m -> own.add(m.parameters())));
        recipe.slices().ifPresent(ss -> ss.forEach(s -> {
            s.sources().stream().filter(src -> src.model().equals(ref)).forEach(src -> own.add(src.parameters()));
            slices.add(s.parameters());
        }));
        Optional<Parameters> setting = own.stream().filter(p -> p.get(name).isPresent()).findFirst()
                .or(() -> slices.stream().filter(p -> p.get(name).isPresent()).findFirst());
        if (setting.isPresent()) {
            return setting.get().locationOf(name);
        }
        if (recipe.parameters().get(name).isPresent() || own.isEmpty()) {
            // an unlisted base model has no block of its own: only the top level reaches it
            return recipe.parameters().locationOf(name);
        }
        return own.getFirst().locationOf(name);
    }

    @Override
    public String globalParameter(String name) {
        return recipe.slices().flatMap(ss -> ss.stream().map(OutputSlice::parameters)
                        .filter(p -> p.get(name).isPresent()).findFirst())
                .orElse(recipe.parameters()).locationOf(name);
    }

    @Override
    public String globalSetting(String name, Object value) {
        return globalParameter(name) + ": " + value;
    }

    @Override
    public String baseModel() {
        return "base_model";
    }

    @Override
    public String lines() {
        return "lines";
    }
}
