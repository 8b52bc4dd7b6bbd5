package dev.graft.core.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.core.recipe.ParameterSetting.Choice;
import dev.graft.core.recipe.ParameterSetting.Filtered;
import dev.graft.core.recipe.ParameterSetting.Gradient;
import dev.graft.core.recipe.ParameterSetting.Scalar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code parameters:} blocks: each value a scalar, a list of numbers (gradient), a list of strings (choice),
 * or {@code {filter, value}} entries, alone or in a list.
 */
final class SettingReader {
    private static final String EXPECTED = "expected a number, a list of numbers or filter entries";
    private static final List<String> ENTRY_KEYS = List.of("filter", "value");

    private final FieldReader fields;

    SettingReader(FieldReader fields) {
        this.fields = fields;
    }

    /** The block at {@code where} ({@code models[1].parameters}); empty when absent, skipped when malformed. */
    Parameters parameters(JsonNode node, String where) {
        if (FieldReader.absent(node) || !fields.expectMap(node, where, "a map of parameter names to values")) {
            return Parameters.empty(where);
        }
        Map<String, ParameterSetting> settings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            setting(e.getValue(), where + "." + e.getKey()).ifPresent(s -> settings.put(e.getKey(), s));
        }
        return new Parameters(where, settings);
    }

    /** One parameter's setting; empty (and a problem recorded) when malformed. */
    Optional<ParameterSetting> setting(JsonNode node, String where) {
        if (node.isArray()) {
            return list(node, where);
        }
        if (node.isObject()) {
            // A lone {filter, value} is one conditional entry; any other map is a mistake.
            if (!node.has("filter") && !node.has("value")) {
                return fail(where, node);
            }
            return entry(node, where).map(e -> new Filtered(List.of(e)));
        }
        return scalar(node, where).map(v -> new Scalar(v));
    }

    private Optional<ParameterSetting> list(JsonNode node, String where) {
        if (node.isEmpty()) {
            fields.problems().add(where, EXPECTED + ", got an empty list");
            return Optional.empty();
        }
        boolean numbers = true;
        boolean strings = true;
        boolean maps = true;
        for (JsonNode e : node) {
            // Python's bool is an int, and pydantic reads it as a float: [true, false] is a gradient from 1 to 0.
            numbers &= e.isNumber() || e.isBoolean();
            strings &= e.isTextual();
            maps &= e.isObject();
        }
        if (numbers) {
            List<Double> values = new ArrayList<>();
            for (JsonNode e : node) {
                values.add(e.isBoolean() ? (e.booleanValue() ? 1.0 : 0.0) : e.doubleValue());
            }
            return Optional.of(new Gradient(values));
        }
        if (strings) {
            List<String> values = new ArrayList<>();
            node.forEach(e -> values.add(e.textValue()));
            return Optional.of(new Choice(values));
        }
        if (maps) {
            List<Filtered.Entry> entries = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < node.size(); i++) {
                Optional<Filtered.Entry> e = entry(node.get(i), where + "[" + i + "]");
                ok &= e.isPresent();
                e.ifPresent(entries::add);
            }
            return ok ? Optional.of(new Filtered(entries)) : Optional.empty();
        }
        fields.problems().add(where, "a list must hold only numbers (a gradient), only strings, or only "
                + "{filter, value} entries, got " + YamlText.of(node));
        return Optional.empty();
    }

    private Optional<Filtered.Entry> entry(JsonNode node, String where) {
        int before = problemCount();
        fields.checkKeys(node, where, ENTRY_KEYS);
        Optional<String> filter = fields.string(node.get("filter"), where + ".filter");
        JsonNode value = node.get("value");
        Optional<ParameterSetting> setting = Optional.empty();
        if (FieldReader.absent(value)) {
            fields.problems().add(where, "filter entry without 'value'");
        } else if (value.isObject() || (value.isArray() && hasMap(value))) {
            // mergekit's ConditionalParameter.value is a scalar or a gradient: entries do not nest
            fields.problems().add(where + ".value", "expected a number, a string or a list of them (filter "
                    + "entries do not nest), got " + YamlText.of(value));
        } else {
            setting = setting(value, where + ".value");
        }
        if (problemCount() != before || setting.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Filtered.Entry(filter, setting.get()));
    }

    private Optional<Object> scalar(JsonNode node, String where) {
        if (node.isBoolean()) {
            return Optional.of(node.booleanValue());
        }
        if (node.isTextual()) {
            return Optional.of(node.textValue());
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                fields.problems().add(where, "number too large: " + node.asText());
                return Optional.empty();
            }
            return Optional.of(node.longValue());
        }
        if (node.isNumber()) {
            return Optional.of(node.doubleValue());
        }
        return fail(where, node);
    }

    private <T> Optional<T> fail(String where, JsonNode node) {
        fields.problems().add(where, EXPECTED + ", got " + YamlText.of(node));
        return Optional.empty();
    }

    private static boolean hasMap(JsonNode list) {
        for (JsonNode e : list) {
            if (e.isObject()) {
                return true;
            }
        }
        return false;
    }

    private int problemCount() {
        return fields.problems().size();
    }
}
