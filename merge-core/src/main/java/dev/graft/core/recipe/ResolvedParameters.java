package dev.graft.core.recipe;

import dev.graft.core.plan.ParameterSource;

import java.util.List;
import java.util.Optional;

/**
 * A recipe's parameters as the planner asks for them: model indices of the request mapped to the recipe's model
 * references, values read through one slice's {@link ParameterResolver}.
 *
 * @param resolver the slice's resolver
 * @param models   the request's models, in order
 */
record ResolvedParameters(ParameterResolver resolver, List<ModelRef> models) implements ParameterSource {
    ResolvedParameters {
        models = List.copyOf(models);
    }

    @Override
    public Optional<Object> modelParameter(int model, String name, String tensorName, double t) {
        return resolver.perModel(name, models.get(model), tensorName, t).map(ParameterValue::value);
    }

    @Override
    public Optional<Object> globalParameter(String name, String tensorName, double t) {
        return resolver.global(name, tensorName, t).map(ParameterValue::value);
    }
}
