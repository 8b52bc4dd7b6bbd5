package dev.graft.core.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.formats.dtype.DType;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads typed values out of YAML nodes, recording a problem (and returning empty) where a value has the wrong
 * type, so that parsing goes on and reports every problem in one pass.
 */
final class FieldReader {
    private final Problems problems;

    FieldReader(Problems problems) {
        this.problems = problems;
    }

    Problems problems() {
        return problems;
    }

    /** A node is absent when the key is missing or written without a value ({@code key:} or {@code key: null}). */
    static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** Records every key of {@code map} that is not in {@code known}, suggesting the closest known key. */
    void checkKeys(JsonNode map, String where, List<String> known) {
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String key = e.getKey();
            if (!known.contains(key)) {
                String hint = KeySuggestion.closest(key, known).map(k -> " (did you mean '" + k + "'?)").orElse("");
                problems.add(where, "unknown key '" + key + "'" + hint + "; known keys: " + String.join(", ", known));
            }
        }
    }

    /** {@code where}: the node must be a mapping; records a problem and returns false otherwise. */
    boolean expectMap(JsonNode node, String where, String what) {
        if (node.isObject()) {
            return true;
        }
        problems.add(where, "expected " + what + ", got " + YamlText.of(node));
        return false;
    }

    Optional<String> string(JsonNode node, String where) {
        if (absent(node)) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            problems.add(where, "expected a string, got " + YamlText.of(node));
            return Optional.empty();
        }
        return Optional.of(node.textValue());
    }

    OptionalLong integer(JsonNode node, String where) {
        if (absent(node)) {
            return OptionalLong.empty();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return OptionalLong.of(node.longValue());
        }
        if (node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue())
                && Math.abs(node.doubleValue()) < 0x1p53) {
            // pydantic's lax int accepts 24.0; so does a recipe
            return OptionalLong.of((long) node.doubleValue());
        }
        problems.add(where, "expected a whole number, got " + YamlText.of(node));
        return OptionalLong.empty();
    }

    Optional<Double> number(JsonNode node, String where) {
        if (absent(node)) {
            return Optional.empty();
        }
        if (!node.isNumber()) {
            problems.add(where, "expected a number, got " + YamlText.of(node));
            return Optional.empty();
        }
        if (!Double.isFinite(node.doubleValue())) {
            problems.add(where, "must be a finite number, got " + YamlText.of(node));
            return Optional.empty();
        }
        return Optional.of(node.doubleValue());
    }

    /** A model reference in string or dict form. */
    Optional<ModelRef> modelRef(JsonNode node, String where) {
        if (absent(node)) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            try {
                return Optional.of(ModelRef.parse(node.textValue()));
            } catch (IllegalArgumentException e) {
                problems.add(where, e.getMessage());
                return Optional.empty();
            }
        }
        if (!node.isObject()) {
            problems.add(where, "expected a model path (path[@revision][+lora[@revision]]) or a map with "
                    + "'model', got " + YamlText.of(node));
            return Optional.empty();
        }
        checkKeys(node, where, List.of("model", "lora", "override_architecture"));
        if (absent(node.get("model"))) {
            problems.add(where, "missing 'model'");
            return Optional.empty();
        }
        Optional<ModelPath> model = modelPath(node.get("model"), where + ".model");
        Optional<ModelPath> lora = absent(node.get("lora")) ? Optional.empty()
                : modelPath(node.get("lora"), where + ".lora");
        Optional<String> arch = string(node.get("override_architecture"), where + ".override_architecture");
        boolean loraFailed = !absent(node.get("lora")) && lora.isEmpty();
        return model.isEmpty() || loraFailed ? Optional.empty() : Optional.of(new ModelRef(model.get(), lora, arch));
    }

    /** {@code path[@revision]} or {@code {path, revision}}. */
    private Optional<ModelPath> modelPath(JsonNode node, String where) {
        if (node.isTextual()) {
            try {
                return Optional.of(ModelPath.parse(node.textValue()));
            } catch (IllegalArgumentException e) {
                problems.add(where, e.getMessage());
                return Optional.empty();
            }
        }
        if (!expectMap(node, where, "a path[@revision] string or a map with 'path' and 'revision'")) {
            return Optional.empty();
        }
        checkKeys(node, where, List.of("path", "revision"));
        Optional<String> path = string(node.get("path"), where + ".path");
        Optional<String> revision = string(node.get("revision"), where + ".revision");
        if (absent(node.get("path"))) {
            problems.add(where, "missing 'path'");
        }
        if (path.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ModelPath(path.get(), revision));
        } catch (IllegalArgumentException e) {
            problems.add(where, e.getMessage());
            return Optional.empty();
        }
    }

    /** A floating-point dtype by any name {@link DType#parse} knows ({@code bfloat16}, {@code torch.float16} …). */
    Optional<DType> floatDType(JsonNode node, String where) {
        Optional<String> name = string(node, where);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Optional<DType> dtype = DType.parse(name.get());
        if (dtype.isEmpty()) {
            problems.add(where, "unknown dtype " + YamlText.string(name.get())
                    + "; use bfloat16, float16, float32 or float64");
            return Optional.empty();
        }
        if (!dtype.get().isFloatingPoint()) {
            problems.add(where, name.get() + " is not a floating-point dtype; use bfloat16, float16, float32 or "
                    + "float64");
            return Optional.empty();
        }
        return dtype;
    }
}
