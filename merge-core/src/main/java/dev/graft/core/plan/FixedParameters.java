package dev.graft.core.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parameter values that are the same for every tensor: what command-line flags and the Java builder give.
 *
 * @param perModel for each model of the request, its per-model values ({@code weight}, {@code density} …)
 * @param global   global values ({@code lambda}, {@code normalize}, {@code t} …)
 */
public record FixedParameters(List<Map<String, Object>> perModel, Map<String, Object> global) implements ParameterSource {
    public FixedParameters {
        perModel = perModel.stream().map(Map::copyOf).toList();
        global = Map.copyOf(global);
    }

    @Override
    public Optional<Object> modelParameter(int model, String name, String tensorName, double t) {
        return Optional.ofNullable(perModel.get(model).get(name));
    }

    @Override
    public Optional<Object> globalParameter(String name, String tensorName, double t) {
        return Optional.ofNullable(global.get(name));
    }

    @Override
    public java.util.Set<String> givenNames() {
        java.util.Set<String> names = new java.util.TreeSet<>(global.keySet());
        perModel.forEach(m -> names.addAll(m.keySet()));
        return names;
    }
}
