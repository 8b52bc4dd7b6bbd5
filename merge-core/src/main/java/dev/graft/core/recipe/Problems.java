package dev.graft.core.recipe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects recipe problems while parsing goes on, so that one run reports all of them rather than the first.
 */
final class Problems {
    private final Path recipe;
    private final List<String> found = new ArrayList<>();

    Problems(Path recipe) {
        this.recipe = recipe;
    }

    Path recipe() {
        return recipe;
    }

    /** Records {@code <where>: <what>}; an empty {@code where} means the recipe as a whole. */
    void add(String where, String what) {
        found.add(where.isEmpty() ? what : where + ": " + what);
    }

    int size() {
        return found.size();
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new RecipeException(recipe, found);
        }
    }
}
