package dev.graft.formats.model;

import dev.graft.formats.gguf.GgufFile;
import dev.graft.formats.pytorch.TorchCheckpoint;
import dev.graft.formats.safetensors.SafetensorsFile;
import dev.graft.formats.shard.ShardIndex;
import dev.graft.formats.tensor.TensorFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recognises what a model path is and opens it. Safetensors is preferred where a folder has both formats, as
 * transformers prefers it; PyTorch checkpoints are read through {@link TorchCheckpoint}, which runs no pickle code.
 */
final class ModelSources {
    static final String SINGLE_FILE = "model.safetensors";
    /** Name endings of the files a model path can name, and of the checkpoints users mistake for them. */
    private static final List<String> FILE_ENDINGS = List.of(".safetensors", ".json", ".bin", ".pt", ".pth",
            ".ckpt", ".gguf");

    private ModelSources() {
    }

    static ModelSource open(Path path) {
        if (Files.isDirectory(path)) {
            return openFolder(path);
        }
        if (!Files.exists(path)) {
            throw new ModelFormatException(path, looksLikeFile(path) ? "no such file" : "no such folder");
        }
        String name = path.getFileName().toString();
        if (name.endsWith(".index.json")) {
            return openIndex(path, path, configBeside(path));
        }
        if (GgufFile.isGgufName(path)) {
            return MappedModel.ofFile(path, GgufFile.open(path), configBeside(path));
        }
        if (name.endsWith(".safetensors") || TorchCheckpoint.isCheckpointName(path)) {
            return MappedModel.ofFile(path, openWeights(path), configBeside(path));
        }
        throw new ModelFormatException(path, "not a model: expected a .safetensors file, a PyTorch checkpoint "
                + "(.bin, .pt, .pth), a GGUF file (.gguf), a shard index (.index.json) or a model folder");
    }

    /** One weights file: a PyTorch checkpoint by its extension, otherwise safetensors. */
    private static TensorFile openWeights(Path file) {
        return TorchCheckpoint.isCheckpointName(file) ? TorchCheckpoint.open(file) : SafetensorsFile.open(file);
    }

    /**
     * Whether a path that does not exist was meant as a file: its name ends like a checkpoint file. Model folders
     * rarely have such an ending ({@code Qwen2.5-0.5B} does not), so anything else is taken for a folder, and the
     * message says which of the two is missing.
     */
    static boolean looksLikeFile(Path path) {
        Path name = path.getFileName();
        if (name == null) {
            return false;
        }
        String n = name.toString().toLowerCase(java.util.Locale.ROOT);
        return FILE_ENDINGS.stream().anyMatch(n::endsWith);
    }

    private static ModelSource openFolder(Path dir) {
        Path index = dir.resolve(ShardIndex.FILE_NAME);
        Path single = dir.resolve(SINGLE_FILE);
        ModelConfig config = Files.isRegularFile(dir.resolve(ModelConfig.FILE_NAME))
                ? ModelConfig.read(dir.resolve(ModelConfig.FILE_NAME)) : null;
        if (Files.isRegularFile(index)) {
            return openIndex(dir, index, config);
        }
        if (Files.isRegularFile(single)) {
            return MappedModel.ofFile(dir, SafetensorsFile.open(single), config);
        }
        Path torchIndex = dir.resolve(TorchCheckpoint.INDEX_FILE_NAME);
        if (Files.isRegularFile(torchIndex)) {
            return openIndex(dir, torchIndex, config);
        }
        Path torchSingle = dir.resolve(TorchCheckpoint.FILE_NAME);
        if (Files.isRegularFile(torchSingle)) {
            return MappedModel.ofFile(dir, TorchCheckpoint.open(torchSingle), config);
        }
        String hint = Files.isRegularFile(dir.resolve("adapter_config.json"))
                ? " (this is a PEFT adapter folder; open it as an adapter)" : "";
        throw new ModelFormatException(dir, "folder has no " + SINGLE_FILE + ", " + ShardIndex.FILE_NAME + ", "
                + TorchCheckpoint.FILE_NAME + " or " + TorchCheckpoint.INDEX_FILE_NAME + hint);
    }

    private static ModelConfig configBeside(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        Path c = parent == null ? null : parent.resolve(ModelConfig.FILE_NAME);
        return c != null && Files.isRegularFile(c) ? ModelConfig.read(c) : null;
    }

    /**
     * @param shown the path the user gave (the folder or the index file), for {@link ModelSource#path()}
     */
    private static ModelSource openIndex(Path shown, Path indexFile, ModelConfig config) {
        ShardIndex index = ShardIndex.read(indexFile);
        Path dir = indexFile.toAbsolutePath().getParent();
        Map<String, TensorFile> opened = new LinkedHashMap<>();
        Map<String, TensorFile> tensors = new TreeMap<>();
        try {
            for (Map.Entry<String, String> e : index.weightMap().entrySet()) {
                TensorFile shard = opened.get(e.getValue());
                if (shard == null) {
                    shard = openWeights(dir.resolve(e.getValue()));
                    opened.put(e.getValue(), shard);
                }
                if (shard.spec(e.getKey()).isEmpty()) {
                    throw new ModelFormatException(indexFile, "weight_map puts tensor \"" + e.getKey() + "\" in "
                            + e.getValue() + ", which does not contain it");
                }
                tensors.put(e.getKey(), shard);
            }
        } catch (RuntimeException ex) {
            opened.values().forEach(TensorFile::close);
            throw ex;
        }
        List<TensorFile> files = new ArrayList<>(opened.values());
        return new MappedModel(shown, files, tensors, config);
    }
}
