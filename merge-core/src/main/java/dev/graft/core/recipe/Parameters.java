package dev.graft.core.recipe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code parameters:} block of a recipe: setting by parameter name, in the order written.
 *
 * @param location where the block is in the recipe ({@code models[1].parameters}, {@code parameters}), for error
 *                 messages
 * @param settings the settings by parameter name
 */
public record Parameters(String location, Map<String, ParameterSetting> settings) {

    public Parameters {
        Objects.requireNonNull(location, "location");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** A block with no settings (a model written without {@code parameters:}). */
    public static Parameters empty(String location) {
        return new Parameters(location, Map.of());
    }

    /** The setting for {@code name}, if this block has one. */
    public Optional<ParameterSetting> get(String name) {
        return Optional.ofNullable(settings.get(name));
    }

    /** The parameter names set here, in recipe order. */
    public Set<String> names() {
        return settings.keySet();
    }

    /** True when the block sets nothing. */
    public boolean isEmpty() {
        return settings.isEmpty();
    }

    /** Where parameter {@code name} of this block is written: {@code models[1].parameters.density}. */
    public String locationOf(String name) {
        return location + "." + name;
    }
}
