package dev.graft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.model.ModelFormatException;
import dev.graft.formats.shard.ShardIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A PEFT adapter folder as {@code inspect} shows it: the weights file and the headline fields of
 * {@code adapter_config.json}, read raw. Deliberately minimal; a typed PEFT API belongs in the formats module.
 *
 * @param weights the {@code adapter_model.safetensors} file
 * @param fields  {@code r}, {@code lora_alpha} and {@code target_modules}, those present, as written
 */
record PeftAdapterFolder(Path weights, Map<String, JsonNode> fields) {
    static final String CONFIG = "adapter_config.json";
    static final String WEIGHTS = "adapter_model.safetensors";
    private static final List<String> HEADLINE_FIELDS = List.of("r", "lora_alpha", "target_modules");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The adapter in {@code path}, when it is a folder holding {@code adapter_config.json} and no model weights.
     *
     * @throws ModelFormatException when the config is not a JSON object, or the folder has neither adapter nor
     *                              model weights in safetensors
     */
    static Optional<PeftAdapterFolder> detect(Path path) {
        Path config = path.resolve(CONFIG);
        if (!Files.isDirectory(path) || !Files.isRegularFile(config)) {
            return Optional.empty();
        }
        Path weights = path.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            // a model folder with a leftover adapter config (e.g. after merging an adapter in) is a model
            if (Files.isRegularFile(path.resolve("model.safetensors"))
                    || Files.isRegularFile(path.resolve(ShardIndex.FILE_NAME))) {
                return Optional.empty();
            }
            throw new ModelFormatException(path, "PEFT adapter folder without " + WEIGHTS
                    + (Files.isRegularFile(path.resolve("adapter_model.bin"))
                    ? " (only adapter_model.bin is present; Graft reads safetensors only)" : ""));
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(config));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ModelFormatException(config, "invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new FileAccessException(config, "cannot read adapter config", e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(config, "adapter config must be a JSON object");
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (String f : HEADLINE_FIELDS) {
            if (root.has(f)) {
                fields.put(f, root.get(f));
            }
        }
        return Optional.of(new PeftAdapterFolder(weights, fields));
    }
}
