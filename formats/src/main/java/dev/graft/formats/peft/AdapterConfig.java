package dev.graft.formats.peft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.json.PythonJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A PEFT LoRA {@code adapter_config.json}: typed access to the fields that decide what the adapter computes, with
 * every other field kept verbatim (PEFT adds fields every release and ignores unknown ones on load).
 *
 * <p>Defaults are PEFT's {@code LoraConfig} defaults: {@code r = 8}, {@code lora_alpha = 8}, no rsLoRA.
 */
public final class AdapterConfig {
    public static final String FILE_NAME = "adapter_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_R = 8;
    private static final double DEFAULT_ALPHA = 8;

    private final ObjectNode root;

    private AdapterConfig(ObjectNode root) {
        this.root = root;
    }

    /**
     * A LoRA config with every field PEFT's {@code LoraConfig} writes, at PEFT's defaults except those given.
     *
     * @param r             rank
     * @param alpha         {@code lora_alpha}
     * @param targetModules module name suffixes ({@code q_proj}, {@code v_proj} …), written sorted
     * @param baseModel     {@code base_model_name_or_path}, or null
     */
    public static AdapterConfig lora(int r, double alpha, Collection<String> targetModules, String baseModel) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putObject("alpha_pattern");
        o.putNull("auto_mapping");
        o.put("base_model_name_or_path", baseModel);
        o.put("bias", "none");
        o.put("fan_in_fan_out", false);
        o.put("inference_mode", true);
        o.put("init_lora_weights", true);
        o.putNull("layer_replication");
        o.putNull("layers_pattern");
        o.putNull("layers_to_transform");
        o.putObject("loftq_config");
        putNumber(o, "lora_alpha", alpha);
        o.put("lora_bias", false);
        o.put("lora_dropout", 0.0);
        o.putNull("megatron_config");
        o.put("megatron_core", "megatron.core");
        o.putNull("modules_to_save");
        o.put("peft_type", "LORA");
        o.put("r", r);
        o.putObject("rank_pattern");
        o.putNull("revision");
        ArrayNode targets = o.putArray("target_modules");
        new TreeSet<>(targetModules).forEach(targets::add);
        o.putNull("task_type");
        o.put("use_dora", false);
        o.put("use_rslora", false);
        return new AdapterConfig(o);
    }

    /**
     * Reads a config file.
     *
     * @throws AdapterFormatException when it is not a LoRA config
     */
    public static AdapterConfig read(Path file) {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new AdapterFormatException(file, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new FileAccessException(file, "cannot read adapter config", e);
        }
        if (!(n instanceof ObjectNode o)) {
            throw new AdapterFormatException(file, "adapter config must be a JSON object");
        }
        JsonNode type = o.get("peft_type");
        if (type == null || !type.isTextual()) {
            throw new AdapterFormatException(file, "no \"peft_type\"; not a PEFT adapter config");
        }
        if (!"LORA".equals(type.textValue())) {
            throw new AdapterFormatException(file, "peft_type is \"" + type.textValue() + "\"; Graft reads LoRA adapters only");
        }
        AdapterConfig c = new AdapterConfig(o);
        c.checkPatterns(file);
        return c;
    }

    /** Writes the file as PEFT's {@code save_pretrained} does: indent 2, keys sorted, no trailing newline. */
    public void write(Path file, boolean overwrite) {
        AtomicFile.writeString(file, toJson(), overwrite);
    }

    /** The text {@link #write} produces. */
    public String toJson() {
        return PythonJson.dumps(root, 2, true);
    }

    /** A copy of the whole JSON object. */
    public ObjectNode json() {
        return root.deepCopy();
    }

    /** A copy with one field set (for fields without a typed setter). */
    public AdapterConfig with(String field, JsonNode value) {
        ObjectNode copy = root.deepCopy();
        copy.set(field, value);
        return new AdapterConfig(copy);
    }

    /**
     * A copy with {@code r}, {@code lora_alpha} and the per-module patterns replaced.
     *
     * @param rankPattern  module path (or regex) to rank, for modules whose rank differs from {@code r}
     * @param alphaPattern module path (or regex) to alpha, for modules whose alpha differs from {@code lora_alpha}
     */
    public AdapterConfig withRanks(int r, double alpha, Map<String, Integer> rankPattern, Map<String, Double> alphaPattern) {
        ObjectNode copy = root.deepCopy();
        copy.put("r", r);
        putNumber(copy, "lora_alpha", alpha);
        ObjectNode rp = copy.putObject("rank_pattern");
        rankPattern.forEach(rp::put);
        ObjectNode ap = copy.putObject("alpha_pattern");
        alphaPattern.forEach((k, v) -> putNumber(ap, k, v));
        return new AdapterConfig(copy);
    }

    /** A copy with {@code target_modules} replaced (written sorted). */
    public AdapterConfig withTargetModules(Collection<String> targetModules) {
        ObjectNode copy = root.deepCopy();
        ArrayNode targets = copy.putArray("target_modules");
        new TreeSet<>(targetModules).forEach(targets::add);
        return new AdapterConfig(copy);
    }

    /** A copy with {@code modules_to_save} set (null when empty, as PEFT writes it). */
    public AdapterConfig withModulesToSave(Collection<String> modules) {
        ObjectNode copy = root.deepCopy();
        if (modules.isEmpty()) {
            copy.putNull("modules_to_save");
        } else {
            ArrayNode a = copy.putArray("modules_to_save");
            new TreeSet<>(modules).forEach(a::add);
        }
        return new AdapterConfig(copy);
    }

    /** A copy with {@code task_type} set, or null (PEFT's default: no task, a plain {@code PeftModel}). */
    public AdapterConfig withTaskType(PeftTaskType task) {
        ObjectNode copy = root.deepCopy();
        if (task == null) {
            copy.putNull("task_type");
        } else {
            copy.put("task_type", task.peftName());
        }
        return new AdapterConfig(copy);
    }

    /** A copy with one boolean field ({@code fan_in_fan_out}, {@code lora_bias}, {@code use_rslora} …) set. */
    public AdapterConfig withFlag(String field, boolean value) {
        ObjectNode copy = root.deepCopy();
        copy.put(field, value);
        return new AdapterConfig(copy);
    }

    private static void putNumber(ObjectNode o, String field, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            o.put(field, (long) value);
        } else {
            o.put(field, value);
        }
    }

    public int r() {
        JsonNode n = root.get("r");
        return n != null && n.isIntegralNumber() ? n.intValue() : DEFAULT_R;
    }

    public double loraAlpha() {
        JsonNode n = root.get("lora_alpha");
        return n != null && n.isNumber() ? n.doubleValue() : DEFAULT_ALPHA;
    }

    public boolean useRslora() {
        return flag("use_rslora");
    }

    public boolean useDora() {
        return flag("use_dora");
    }

    /** Set for GPT-2's Conv1D layers, whose weights are stored {@code [in, out]}. */
    public boolean fanInFanOut() {
        return flag("fan_in_fan_out");
    }

    /** {@code lora_bias}: {@code lora_B} carries a bias, added to the base layer's bias times the scaling. */
    public boolean loraBias() {
        return flag("lora_bias");
    }

    /** {@code modules_to_save}: modules stored whole (their weights replace the base's), empty when none. */
    public List<String> modulesToSave() {
        List<String> out = new ArrayList<>();
        JsonNode n = root.get("modules_to_save");
        if (n != null && n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    /**
     * {@code task_type} as written ({@code CAUSAL_LM} …, see {@link PeftTaskType}); empty when null or absent.
     * Returned as text because PEFT versions add task names and other tools write their own.
     */
    public Optional<String> taskType() {
        JsonNode n = root.get("task_type");
        return n != null && n.isTextual() ? Optional.of(n.textValue()) : Optional.empty();
    }

    /** {@code base_model_name_or_path}: a Hub id or a path; empty when null or absent. */
    public Optional<String> baseModel() {
        JsonNode n = root.get("base_model_name_or_path");
        return n != null && n.isTextual() ? Optional.of(n.textValue()) : Optional.empty();
    }

    /** {@code target_modules} as a list of names; a single regex string comes back as one element. */
    public List<String> targetModules() {
        List<String> out = new ArrayList<>();
        JsonNode n = root.get("target_modules");
        if (n != null && n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        } else if (n != null && n.isTextual()) {
            out.add(n.textValue());
        }
        return out;
    }

    /** The rank of a module: the first matching {@code rank_pattern} key, else {@link #r()}. */
    public int rankFor(String modulePath) {
        return patternValue("rank_pattern", modulePath).map(JsonNode::intValue).orElse(r());
    }

    /** The alpha of a module: the first matching {@code alpha_pattern} key, else {@link #loraAlpha()}. */
    public double alphaFor(String modulePath) {
        return patternValue("alpha_pattern", modulePath).map(JsonNode::doubleValue).orElse(loraAlpha());
    }

    /** PEFT's scaling for a module: {@code alpha / r}, or {@code alpha / sqrt(r)} with rsLoRA. */
    public double scalingFor(String modulePath) {
        int r = rankFor(modulePath);
        double alpha = alphaFor(modulePath);
        return useRslora() ? alpha / Math.sqrt(r) : alpha / r;
    }

    /** Explicit rank when {@code rank_pattern} is empty. */
    public OptionalInt uniformRank() {
        JsonNode rp = root.get("rank_pattern");
        return rp == null || rp.isEmpty() ? OptionalInt.of(r()) : OptionalInt.empty();
    }

    /**
     * PEFT matches pattern keys with {@code re.match(rf"(.*\.)?({key})$", module)}: the key must match a whole
     * dotted suffix of the module path. The first matching key in file order wins.
     */
    private Optional<JsonNode> patternValue(String field, String modulePath) {
        JsonNode p = root.get(field);
        if (p == null || !p.isObject()) {
            return Optional.empty();
        }
        for (Map.Entry<String, JsonNode> e : p.properties()) {
            if (Pattern.compile("(.*\\.)?(" + e.getKey() + ")").matcher(modulePath).matches()) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    private void checkPatterns(Path file) {
        for (String field : List.of("rank_pattern", "alpha_pattern")) {
            JsonNode p = root.get(field);
            if (p == null || !p.isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> e : p.properties()) {
                try {
                    Pattern.compile(e.getKey());
                } catch (PatternSyntaxException ex) {
                    throw new AdapterFormatException(file, field + " key \"" + e.getKey() + "\" is not a valid regex");
                }
                if (!e.getValue().isNumber()) {
                    throw new AdapterFormatException(file, field + " value for \"" + e.getKey() + "\" is not a number");
                }
            }
        }
    }

    private boolean flag(String key) {
        JsonNode n = root.get(key);
        return n != null && n.isBoolean() && n.booleanValue();
    }
}
