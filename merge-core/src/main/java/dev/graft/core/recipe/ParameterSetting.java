package dev.graft.core.recipe;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The value a recipe gives one parameter, before it is evaluated for a tensor: a scalar, a gradient over the
 * layers, a choice among strings over the layers, or a list of conditional entries filtered by tensor name.
 *
 * <p>{@link #evaluate(String, double)} is mergekit's {@code evaluate_setting}, including its float arithmetic, so
 * that a gradient gives bit-identical values. {@code t} is the position of the tensor's layer in its slice,
 * 0 (first layer, and every tensor outside the blocks) to 1 (last layer); see {@link GradientT}.
 */
public sealed interface ParameterSetting
        permits ParameterSetting.Scalar, ParameterSetting.Gradient, ParameterSetting.Choice,
        ParameterSetting.Filtered {

    /**
     * The value of this setting for one tensor.
     *
     * @param tensorName the tensor, matched against filters by substring; null or empty matches only entries
     *                   without a filter (or with {@code "*"}), as in mergekit
     * @param t          the layer position in [0, 1]
     * @return the value ({@link Long}, {@link Double}, {@link Boolean} or {@link String}), or empty when no filter
     *         entry matches, in which case the next level of the recipe is consulted
     */
    Optional<Object> evaluate(String tensorName, double t);

    private static void checkT(double t) {
        // outside [0, 1] mergekit indexes past the list (or, negative, from its end): a planner bug, not a value
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("layer position t must be in [0, 1], got " + t);
        }
    }

    /**
     * One value for every tensor.
     *
     * @param value a {@link Long} (YAML integer), {@link Double}, {@link Boolean} or {@link String}, as written
     */
    record Scalar(Object value) implements ParameterSetting {
        public Scalar {
            Objects.requireNonNull(value, "value");
            if (!(value instanceof Long || value instanceof Double || value instanceof Boolean
                    || value instanceof String)) {
                throw new IllegalArgumentException("a scalar setting is a Long, Double, Boolean or String, not "
                        + value.getClass().getSimpleName());
            }
        }

        @Override
        public Optional<Object> evaluate(String tensorName, double t) {
            return Optional.of(value);
        }
    }

    /**
     * A list of numbers interpolated linearly over the layers of a slice: the first value at {@code t = 0}, the
     * last at {@code t = 1}, evenly spaced anchors in between.
     *
     * @param values at least one anchor (YAML booleans count as 1 and 0, as in Python)
     */
    record Gradient(List<Double> values) implements ParameterSetting {
        public Gradient {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a gradient needs at least one value");
            }
        }

        /**
         * {@code s = t·(n−1)}, {@code i0 = ⌊s⌋}, {@code i1 = min(n−1, i0+1)}, {@code f = s − i0},
         * {@code (1−f)·v[i0] + f·v[i1]}, in that operation order (mergekit's), in double precision.
         */
        @Override
        public Optional<Object> evaluate(String tensorName, double t) {
            checkT(t);
            int n = values.size();
            double scaled = t * (n - 1);
            int i0 = (int) scaled;
            int i1 = Math.min(n - 1, i0 + 1);
            double frac = scaled - i0;
            return Optional.of((1 - frac) * values.get(i0) + frac * values.get(i1));
        }
    }

    /**
     * A list of strings, one picked per layer without interpolation: {@code v[⌊t·(n−1)⌋]}.
     *
     * @param values at least one
     */
    record Choice(List<String> values) implements ParameterSetting {
        public Choice {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a choice needs at least one value");
            }
        }

        @Override
        public Optional<Object> evaluate(String tensorName, double t) {
            checkT(t);
            return Optional.of(values.get((int) (t * (values.size() - 1))));
        }
    }

    /**
     * Conditional entries, tried in order; the first whose filter matches the tensor name gives the value.
     *
     * @param entries at least one
     */
    record Filtered(List<Entry> entries) implements ParameterSetting {
        public Filtered {
            entries = List.copyOf(entries);
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("a filtered setting needs at least one entry");
            }
        }

        @Override
        public Optional<Object> evaluate(String tensorName, double t) {
            for (Entry e : entries) {
                if (e.matches(tensorName)) {
                    return e.value().evaluate(tensorName, t);
                }
            }
            return Optional.empty();
        }

        /**
         * One {@code {filter, value}} entry.
         *
         * @param filter a substring of the tensor name; empty or {@code "*"} matches every tensor
         * @param value  the setting used where the filter matches
         */
        public record Entry(Optional<String> filter, ParameterSetting value) {
            /** The filter that matches every tensor name. */
            public static final String ANY = "*";

            public Entry {
                Objects.requireNonNull(filter, "filter");
                Objects.requireNonNull(value, "value");
            }

            /**
             * Whether this entry applies: no filter, {@code "*"}, or a substring of the name. A substring, not a
             * path segment: {@code mlp} also matches {@code mlp_norm}, exactly as in mergekit.
             */
            public boolean matches(String tensorName) {
                if (filter.isEmpty() || filter.get().equals(ANY)) {
                    return true;
                }
                // mergekit tests `tensor_name and filter in tensor_name`: no name, no match
                return tensorName != null && !tensorName.isEmpty() && tensorName.contains(filter.get());
            }
        }
    }
}
