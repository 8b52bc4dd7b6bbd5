package dev.graft.core.recipe;

import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a well-formed recipe may still ask that cannot run: features Graft does not implement yet, and parameter
 * names its method does not declare. Run by {@link RecipeRequests} on a parsed recipe, and by {@link RecipeReader}
 * on what it could read when it knows the methods, so that these problems are reported together with the
 * recipe's format problems instead of one run later.
 */
final class RecipeChecks {
    private RecipeChecks() {
    }

    /**
     * @param models every model the recipe names, the base included
     * @return one line per feature used that Graft cannot run yet
     */
    static List<String> unsupported(List<ModelRef> models, Optional<String> tokenizerSource,
                                    OptionalInt padToMultipleOf, Optional<String> chatTemplate) {
        List<String> problems = new ArrayList<>();
        for (ModelRef m : models) {
            if (m.revision().isPresent() || m.lora().flatMap(ModelPath::revision).isPresent()) {
                problems.add("model " + m + ": @revision is not supported (Graft reads local folders only)");
            }
        }
        tokenizerSource.filter(t -> !Recipe.TOKENIZER_BASE.equals(t)).ifPresent(t -> problems.add(
                "tokenizer_source: " + t + " is not supported yet; remove it (or use base) to copy the base model's "
                        + "tokenizer files"));
        if (padToMultipleOf.isPresent()) {
            problems.add("tokenizer.pad_to_multiple_of is not supported yet");
        }
        if (chatTemplate.isPresent()) {
            problems.add("chat_template is not supported yet; the base model's tokenizer files are copied as they are");
        }
        return problems;
    }

    /** One line per parameter, in any of {@code blocks}, that {@code method} does not declare. */
    static List<String> unknownParameters(MergeMethod method, List<Parameters> blocks) {
        Set<String> known = new TreeSet<>();
        method.globalParameters().stream().map(ParameterDef::name).forEach(known::add);
        method.modelParameters().stream().map(ParameterDef::name).forEach(known::add);
        List<String> problems = new ArrayList<>();
        for (Parameters block : blocks) {
            for (String name : block.names()) {
                if (!known.contains(name)) {
                    problems.add(block.locationOf(name) + ": " + method.name() + " has no parameter \"" + name
                            + "\" (its parameters: " + String.join(", ", known) + ")");
                }
            }
        }
        return problems;
    }
}
