package dev.graft.algorithms.methods;

import java.util.Map;

/** DELLA's keep probabilities {@code density ± epsilon} must stay inside (0, 1), as mergekit requires. */
final class DellaLimits {
    private DellaLimits() {
    }

    static String check(Map<String, Object> values) {
        double density = ((Number) values.getOrDefault("density", 1.0)).doubleValue();
        double epsilon = ((Number) values.getOrDefault("epsilon", 0.15)).doubleValue();
        if (density >= 1 || (density - epsilon > 0 && density + epsilon < 1)) {
            return null;
        }
        return "della needs 0 < density - epsilon and density + epsilon < 1, got density " + density
                + " and epsilon " + epsilon;
    }
}
