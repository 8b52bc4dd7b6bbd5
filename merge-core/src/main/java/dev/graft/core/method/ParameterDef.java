package dev.graft.core.method;

import java.util.Optional;
import java.util.function.Function;

/**
 * A parameter a merge method declares, with mergekit's name and default. The recipe parser, the plan's validation,
 * the CLI help and the docs all read these declarations.
 *
 * @param name        mergekit's name ({@code density}, {@code lambda} …)
 * @param type        the kind of value
 * @param defaultValue the value when the recipe gives none; empty for a required parameter
 * @param description one line for help and docs
 * @param check       returns a problem description for an invalid value, or null when fine
 */
public record ParameterDef(String name, Type type, Optional<Object> defaultValue, String description,
                           Function<Object, String> check) {

    /** Value kinds. */
    public enum Type { NUMBER, BOOLEAN, STRING }

    /**
     * A default that depends on the merge rather than a fixed value ({@code 1/T}: one over the number of models
     * besides the base). The planner passes it to the kernel as it is; {@link dev.graft.core.kernel.TensorParameters}
     * reads it as absent, and the kernel computes the value. Help and dry runs print {@link #text()}.
     *
     * @param text how the rule reads in help and plans ({@code 1/T})
     */
    public record Rule(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    public static ParameterDef number(String name, Double defaultValue, String description) {
        return new ParameterDef(name, Type.NUMBER, Optional.ofNullable(defaultValue), description, v -> null);
    }

    /** A number constrained to {@code [min, max]} (inclusive). */
    public static ParameterDef number(String name, Double defaultValue, double min, double max, String description) {
        return new ParameterDef(name, Type.NUMBER, Optional.ofNullable(defaultValue), description,
                v -> {
                    double d = ((Number) v).doubleValue();
                    return d >= min && d <= max ? null : "must be between " + min + " and " + max + ", got " + d;
                });
    }

    /** A number of at least {@code min}, unbounded above ({@code eps}, {@code tol}, a weight that must not be negative). */
    public static ParameterDef numberAtLeast(String name, Double defaultValue, double min, String description) {
        return new ParameterDef(name, Type.NUMBER, Optional.ofNullable(defaultValue), description,
                v -> {
                    double d = ((Number) v).doubleValue();
                    return d >= min ? null : "must be at least " + min + ", got " + d;
                });
    }

    /**
     * A fraction in (0, 1] ({@code fraction}, {@code common_fraction}): 0 itself is refused, as a method that keeps
     * a fraction of a matrix's directions keeps at least one.
     *
     * @param defaultValue a {@link Double} or a {@link Rule}
     */
    public static ParameterDef fraction(String name, Object defaultValue, String description) {
        return new ParameterDef(name, Type.NUMBER, Optional.of(defaultValue), description,
                v -> {
                    double d = ((Number) v).doubleValue();
                    return d > 0 && d <= 1 ? null : "must be in (0, 1], got " + d;
                });
    }

    /** A whole number of at least 0 ({@code max_iter}); held as a double like every number. */
    public static ParameterDef count(String name, int defaultValue, String description) {
        return new ParameterDef(name, Type.NUMBER, Optional.of((double) defaultValue), description,
                v -> {
                    double d = ((Number) v).doubleValue();
                    return d >= 0 && d == Math.rint(d) && d <= Integer.MAX_VALUE ? null
                            : "must be a whole number of at least 0, got " + d;
                });
    }

    public static ParameterDef bool(String name, boolean defaultValue, String description) {
        return new ParameterDef(name, Type.BOOLEAN, Optional.of(defaultValue), description, v -> null);
    }

    /** A string from a fixed set. */
    public static ParameterDef choice(String name, String defaultValue, String description, String... allowed) {
        java.util.List<String> ok = java.util.List.of(allowed);
        return new ParameterDef(name, Type.STRING, Optional.of(defaultValue), description,
                v -> ok.contains(v.toString()) ? null : "must be one of " + ok + ", got " + v);
    }

    /**
     * A number, also written as a string ("0.5") as mergekit's pydantic accepts; else a problem. NaN and
     * infinities are problems too: mergekit takes them and writes an all-NaN model with success.
     */
    private static Object parseNumber(Object raw) {
        double d;
        if (raw instanceof Number n) {
            d = n.doubleValue();
        } else {
            try {
                d = Double.parseDouble(String.valueOf(raw).strip());
            } catch (NumberFormatException e) {
                return "!expected a number, got " + raw;
            }
        }
        return Double.isFinite(d) ? (Object) d : "!must be a finite number, got " + raw;
    }

    public boolean required() {
        return defaultValue.isEmpty();
    }

    /**
     * Converts a recipe value to this parameter's type.
     *
     * @return the value, or a problem description prefixed with {@code !}
     */
    public Object coerce(Object raw) {
        return switch (type) {
            case NUMBER -> parseNumber(raw);
            case BOOLEAN -> raw instanceof Boolean b ? (Object) b
                    : "true".equals(String.valueOf(raw)) ? (Object) true
                    : "false".equals(String.valueOf(raw)) ? (Object) false : "!expected true or false, got " + raw;
            case STRING -> raw.toString();
        };
    }
}
