package dev.graft.formats.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.json.PythonJson;
import dev.graft.formats.model.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A sharded checkpoint's {@code model.safetensors.index.json}: which shard file holds each tensor.
 *
 * <p>Reading tolerates unknown keys (every writer adds its own) and refuses a {@code weight_map} entry that names
 * a file outside the index's folder ({@code ../x}, an absolute path), so a downloaded index cannot make Graft read
 * arbitrary files. The check is on the name, not on where symbolic links lead: the Hugging Face cache links
 * snapshot files to blobs in another folder, legitimately.
 */
public final class ShardIndex {
    /** The standard index file name. */
    public static final String FILE_NAME = "model.safetensors.index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> weightMap;
    private final OptionalLong totalSize;

    /**
     * @param weightMap tensor name → shard file name (relative to the index's folder)
     * @param totalSize the {@code metadata.total_size} (sum of tensor bytes), if known
     */
    public ShardIndex(Map<String, String> weightMap, OptionalLong totalSize) {
        this.weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
        this.totalSize = totalSize;
    }

    /**
     * Reads and checks an index file.
     *
     * @throws ModelFormatException for malformed JSON, a missing {@code weight_map}, or a shard path leaving the folder
     */
    public static ShardIndex read(Path indexFile) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(indexFile));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ModelFormatException(indexFile, "invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new FileAccessException(indexFile, "cannot read shard index", e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(indexFile, "shard index must be a JSON object");
        }
        JsonNode wm = root.get("weight_map");
        if (wm == null || !wm.isObject()) {
            throw new ModelFormatException(indexFile, "shard index has no \"weight_map\" object");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : wm.properties()) {
            if (!e.getValue().isTextual()) {
                throw new ModelFormatException(indexFile, "weight_map entry for \"" + e.getKey() + "\" is not a file name");
            }
            String shard = e.getValue().textValue();
            checkInsideFolder(indexFile, e.getKey(), shard);
            map.put(e.getKey(), shard);
        }
        OptionalLong total = OptionalLong.empty();
        JsonNode md = root.get("metadata");
        if (md != null && md.isObject() && md.get("total_size") != null && md.get("total_size").isNumber()) {
            total = OptionalLong.of(md.get("total_size").asLong());
        }
        return new ShardIndex(map, total);
    }

    private static void checkInsideFolder(Path indexFile, String tensor, String shard) {
        Path rel;
        try {
            rel = Path.of(shard);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ModelFormatException(indexFile, "weight_map entry for \"" + tensor + "\" names an invalid path \""
                    + shard + "\"");
        }
        Path normal = rel.normalize();
        if (shard.isEmpty() || rel.isAbsolute() || rel.getRoot() != null || normal.startsWith("..")
                || normal.toString().isEmpty()) {
            throw new ModelFormatException(indexFile, "weight_map entry for \"" + tensor + "\" points outside the model folder: \""
                    + shard + "\"");
        }
    }

    /** Tensor name → shard file name, in the index's order. */
    public Map<String, String> weightMap() {
        return weightMap;
    }

    /** {@code metadata.total_size}, if the index has it. */
    public OptionalLong totalSize() {
        return totalSize;
    }

    /**
     * Writes the index as transformers' {@code save_pretrained} does: {@code indent=2}, keys sorted, trailing newline.
     */
    public void write(Path indexFile, boolean overwrite) {
        AtomicFile.writeString(indexFile, toJson(), overwrite);
    }

    /** The file content {@link #write} produces. */
    public String toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode md = root.putObject("metadata");
        totalSize.ifPresent(t -> md.put("total_size", t));
        ObjectNode wm = root.putObject("weight_map");
        new TreeMap<>(weightMap).forEach(wm::put);
        return PythonJson.dumps(root, 2, true) + "\n";
    }
}
