package dev.graft.core.recipe;

import java.util.Collection;
import java.util.Optional;

/** The known key a misspelt one was probably meant to be ({@code merge_metod} → {@code merge_method}). */
final class KeySuggestion {
    /** Two edits catch a dropped, doubled or swapped letter without suggesting unrelated keys. */
    private static final int MAX_EDITS = 2;

    private KeySuggestion() {
    }

    static Optional<String> closest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = MAX_EDITS + 1;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
