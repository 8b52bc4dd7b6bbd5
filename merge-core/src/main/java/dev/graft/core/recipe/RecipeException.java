package dev.graft.core.recipe;

import dev.graft.formats.FormatException;

import java.nio.file.Path;
import java.util.List;

/**
 * A recipe that cannot be used as written: malformed YAML, an unknown key, a parameter of the wrong shape, a
 * missing required parameter.
 *
 * <p>Each problem reads {@code <location>: <what is wrong>}, the location being the key path inside the recipe
 * ({@code models[1].parameters.density}). Parsing reports every problem it finds at once: {@link #problems()} holds
 * them all, each prefixed with the file, so that a command line can print them one per line; the message is the
 * first of them (plus a count of the others), so it still starts with the file.
 */
public final class RecipeException extends FormatException {
    private final Path recipe;
    private final List<String> problems;

    /** One problem, {@code <location>: <what is wrong>}. */
    public RecipeException(Path recipe, String problem) {
        this(recipe, List.of(problem), null);
    }

    /** One problem caused by a lower-level failure (the YAML parser's). */
    public RecipeException(Path recipe, String problem, Throwable cause) {
        this(recipe, List.of(problem), cause);
    }

    /** Several problems found in one pass; there must be at least one. */
    public RecipeException(Path recipe, List<String> problems) {
        this(recipe, problems, null);
    }

    private RecipeException(Path recipe, List<String> problems, Throwable cause) {
        super(recipe, summary(problems), cause);
        this.recipe = recipe;
        this.problems = List.copyOf(problems);
    }

    private static String summary(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a RecipeException needs at least one problem");
        }
        int more = problems.size() - 1;
        return switch (more) {
            case 0 -> problems.getFirst();
            case 1 -> problems.getFirst() + " (and 1 more problem)";
            default -> problems.getFirst() + " (and " + more + " more problems)";
        };
    }

    /** Every problem, each prefixed with the recipe file ({@code ties.yml: models[1].parameters.density: …}). */
    public List<String> problems() {
        return problems.stream().map(p -> recipe == null ? p : recipe + ": " + p).toList();
    }
}
