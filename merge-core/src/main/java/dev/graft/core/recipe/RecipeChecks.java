package dev.graft.core.recipe;

import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;
import dev.graft.core.vocab.ChatTemplateChoice;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a well-formed recipe may still ask that cannot run: features Graft does not implement, tokenizer settings
 * that name models the recipe does not merge, and parameter names its method does not declare. Run by {@link RecipeRequests} on a parsed recipe, and by {@link RecipeReader}
 * on what it could read when it knows the methods, so that these problems are reported together with the
 * recipe's format problems instead of one run later.
 */
final class RecipeChecks {
    private RecipeChecks() {
    }

    /**
     * @param models every model the recipe names, the base included
     * @return one line per feature used that Graft cannot run, and per tokenizer setting that names a model the
     *         recipe does not merge or a chat template that is neither a name nor a template
     */
    static List<String> unsupported(List<ModelRef> models, Optional<String> tokenizerSource,
                                    Map<String, TokenEmbedding> tokens, Optional<String> chatTemplate) {
        List<String> problems = new ArrayList<>();
        for (ModelRef m : models) {
            if (m.revision().isPresent() || m.lora().flatMap(ModelPath::revision).isPresent()) {
                problems.add("model " + m + ": @revision is not supported (Graft reads local folders only)");
            }
        }
        tokenizerSource.filter(t -> !t.equals(Recipe.TOKENIZER_BASE) && !t.equals(Recipe.TOKENIZER_UNION))
                .filter(t -> models.stream().noneMatch(m -> m.toString().equals(t)))
                .ifPresent(t -> problems.add("tokenizer source " + t + " is not one of the recipe's models ("
                        + String.join(", ", models.stream().map(ModelRef::toString).distinct().toList()) + ")"));
        tokens.forEach((token, e) -> e.model().filter(m -> !models.contains(m)).ifPresent(m -> problems.add(
                "tokenizer.tokens[\"" + token + "\"]: model " + m + " is not one of the recipe's models")));
        chatTemplate.filter(t -> !t.equals(ChatTemplateChoice.AUTO)).ifPresent(t -> {
            try {
                ChatTemplateChoice.resolve(t, List.of());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        });
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
