package dev.graft.cli.merge;

import dev.graft.core.plan.Vocabulary;

import java.util.Map;
import java.util.Set;

/**
 * {@code graft merge}'s spelling of a request: each parameter as the flag that sets it ({@code --weight},
 * {@code --no-normalize}), so that a problem tells the user what to type. A parameter no flag sets (mergekit's
 * {@code int8_mask}) keeps its recipe name, marked as such.
 */
final class FlagVocabulary implements Vocabulary {
    /** Parameter name → flag, for every parameter {@link MergeCommand} has a flag for. */
    static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("weight", "--weight"), Map.entry("density", "--density"), Map.entry("gamma", "--gamma"),
            Map.entry("epsilon", "--epsilon"), Map.entry("lambda", "--lambda"), Map.entry("t", "--t"),
            Map.entry("normalize", "--normalize"), Map.entry("rescale", "--rescale"),
            Map.entry("filter_wise", "--filter-wise"), Map.entry("sign_election", "--sign-election"),
            Map.entry("nuslerp_flatten", "--nuslerp-flatten"), Map.entry("nuslerp_row_wise", "--nuslerp-row-wise"),
            Map.entry("normalize_weights", "--normalize-weights"), Map.entry("eps", "--eps"),
            Map.entry("max_iter", "--max-iter"), Map.entry("tol", "--tol"), Map.entry("fraction", "--fraction"),
            Map.entry("common_fraction", "--common-fraction"), Map.entry("steps", "--steps"), Map.entry("lr", "--lr"));
    /** Flags picocli also offers as {@code --no-…}. */
    private static final Set<String> NEGATABLE = Set.of("normalize", "rescale", "nuslerp_flatten",
            "normalize_weights");

    @Override
    public String modelParameter(int model, String label, String name) {
        // One flag serves every MODEL (one value for all, or one per MODEL), so it does not depend on the model.
        return flag(name);
    }

    @Override
    public String globalParameter(String name) {
        return flag(name);
    }

    @Override
    public String globalSetting(String name, Object value) {
        String flag = flag(name);
        if (!FLAGS.containsKey(name) || !(value instanceof Boolean on)) {
            return flag + " " + value;
        }
        if (on) {
            return flag;
        }
        return NEGATABLE.contains(name) ? "--no-" + flag.substring(2) : "no " + flag;
    }

    @Override
    public String baseModel() {
        return "--base";
    }

    @Override
    public String lines() {
        return "--lines";
    }

    private static String flag(String name) {
        String flag = FLAGS.get(name);
        return flag != null ? flag : name + " (recipe only)";
    }
}
