package dev.graft.core.recipe;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A parameter evaluated for one tensor, with where it was read from so that a value of the wrong type can be
 * reported against the recipe line that set it.
 *
 * <p>The conversions follow what mergekit's configuration model accepts for a parameter (a float, coerced by
 * pydantic): YAML integers and booleans are numbers (true = 1), and a quoted numeric string is its number.
 *
 * @param name     the parameter ({@code density})
 * @param value    a {@link Long}, {@link Double}, {@link Boolean} or {@link String}
 * @param location where it is set ({@code models[1].parameters.density})
 * @param recipe   the recipe file, for error messages
 */
public record ParameterValue(String name, Object value, String location, Path recipe) {

    public ParameterValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(location, "location");
    }

    /**
     * The value as a number.
     *
     * @throws RecipeException for a string that is not a number
     */
    public double asDouble() {
        return switch (value) {
            case Number n -> n.doubleValue();
            case Boolean b -> b ? 1 : 0;
            case String s -> parseNumber(s);
            default -> throw wrongType("a number");
        };
    }

    /**
     * The value as a flag: a boolean as is, a number true when non-zero (the truth value mergekit's code sees,
     * since it holds every parameter as a float).
     *
     * @throws RecipeException for a string that is not a number
     */
    public boolean asBoolean() {
        return switch (value) {
            case Boolean b -> b;
            case Number n -> n.doubleValue() != 0;
            case String s -> parseNumber(s) != 0;
            default -> throw wrongType("true or false");
        };
    }

    /**
     * The value as a whole number.
     *
     * @throws RecipeException for a fraction, a value outside the int range or a string that is not a number
     */
    public int asInt() {
        double d = asDouble();
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw wrongType("a whole number");
        }
        return (int) d;
    }

    private double parseNumber(String s) {
        String trimmed = s.strip();
        // Java also reads "1f", "0x1p3" and "Infinity"; Python's float() does not, so neither does a recipe
        if (!trimmed.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw wrongType("a number");
        }
        return Double.parseDouble(trimmed);
    }

    private RecipeException wrongType(String expected) {
        String shown = value instanceof String s ? YamlText.string(s) : value.toString();
        return new RecipeException(recipe, location + ": expected " + expected + ", got " + shown);
    }
}
