package dev.graft.core.plan;

/**
 * How the user wrote a {@link MergeRequest}, so that its problems name what the user typed: a command-line flag
 * ({@code --weight}) for {@code graft merge}, a recipe key ({@code models[0].parameters.weight}) for
 * {@code graft run}, a parameter name for the Java builder. The {@link Planner} builds its messages from these
 * spellings instead of spelling parameters itself, so that one planner speaks each front end's language.
 *
 * <p>Implementations return short fragments that fit into a sentence; none ends with punctuation.
 */
public interface Vocabulary {
    /**
     * The spelling of the Java builder ({@link RequestBuilder}), and the default: a per-model parameter as
     * {@code <model label>.<name>} ({@code ft1.weight}), a global one by its name, the base model as
     * {@code base(…)}.
     */
    Vocabulary NAMES = new Vocabulary() {
        @Override
        public String modelParameter(int model, String label, String name) {
            return label + "." + name;
        }

        @Override
        public String globalParameter(String name) {
            return name;
        }

        @Override
        public String globalSetting(String name, Object value) {
            return name + "=" + value;
        }

        @Override
        public String baseModel() {
            return "base(…)";
        }

        @Override
        public String lines() {
            return "lines";
        }
    };

    /**
     * Where the user gives (or would give) per-model parameter {@code name} of one model.
     *
     * @param model index into {@link MergeRequest#models()}
     * @param label the model's label ({@link PlannedModel#label()})
     * @param name  the method's parameter name ({@code weight}, {@code density} …)
     * @return {@code --weight}, {@code models[0].parameters.weight}, {@code ft1.weight} …
     */
    String modelParameter(int model, String label, String name);

    /**
     * Where the user gives (or would give) global parameter {@code name}.
     *
     * @return {@code --lambda}, {@code parameters.lambda}, {@code lambda} …
     */
    String globalParameter(String name);

    /**
     * What the user writes to set global parameter {@code name} to {@code value}, for advice such as "use
     * --no-normalize".
     *
     * @return {@code --no-normalize}, {@code parameters.normalize: false}, {@code normalize=false} …
     */
    String globalSetting(String name, Object value);

    /** How the user names the base model: {@code --base}, {@code base_model}, {@code base(…)}. */
    String baseModel();

    /** How the user asks for LiNeS scaling: {@code --lines}, {@code lines}. */
    String lines();
}
