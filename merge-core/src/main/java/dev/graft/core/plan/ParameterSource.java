package dev.graft.core.plan;

import java.util.Optional;

/**
 * Where a merge's parameter values come from (a recipe, a command line, a builder), evaluated for one tensor:
 * gradients at the tensor's layer position {@code t}, filters against its name. Empty means "not given here", so
 * the method's default applies.
 */
public interface ParameterSource {
    /**
     * @param model      index into {@link MergeRequest#models()}
     * @param name       parameter name
     * @param tensorName the input tensor's name (filters match on it)
     * @param t          the tensor's position in its layer range, 0…1 (0 outside transformer blocks)
     */
    Optional<Object> modelParameter(int model, String name, String tensorName, double t);

    /** A global parameter for the output tensor {@code tensorName}. */
    Optional<Object> globalParameter(String name, String tensorName, double t);

    /**
     * Every parameter name this source gives, so the planner can refuse names the method does not declare; empty
     * when the source checks names itself (recipes do, with their locations).
     */
    default java.util.Set<String> givenNames() {
        return java.util.Set.of();
    }
}
