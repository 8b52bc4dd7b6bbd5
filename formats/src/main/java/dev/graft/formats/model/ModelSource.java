package dev.graft.formats.model;

import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorFile;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A checkpoint as a set of named, lazily read tensors, whatever its files look like: one {@code .safetensors}
 * file, a PyTorch checkpoint ({@code pytorch_model.bin}, {@code .pt}, {@code .pth} in torch's zip format, read
 * without running its pickle: see {@link dev.graft.formats.pytorch.TorchCheckpoint}), a sharded
 * {@code model.safetensors.index.json} or {@code pytorch_model.bin.index.json}, or a Hugging Face model folder
 * holding any of these.
 *
 * <pre>{@code
 * try (ModelSource m = ModelSource.open(Path.of("Qwen2.5-0.5B"))) {
 *     for (TensorSpec s : m.tensors()) {
 *         Tensor t = m.tensor(s.name());
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Tensors stay memory-mapped until {@link #close()}; views must not outlive it.
 */
public interface ModelSource extends AutoCloseable {

    /**
     * Opens a model.
     *
     * @param path a {@code .safetensors} file, a {@code .bin}/{@code .pt}/{@code .pth} PyTorch checkpoint, a
     *             {@code .gguf} file (tensors under their GGUF names, quantized ones dequantized), a
     *             {@code *.index.json} shard index, or a folder containing {@code model.safetensors},
     *             {@code model.safetensors.index.json}, {@code pytorch_model.bin} or
     *             {@code pytorch_model.bin.index.json}, looked for in that order (and usually {@code config.json})
     * @throws ModelFormatException when the path is none of these or its files are inconsistent
     * @throws dev.graft.formats.FormatException when a weights file is malformed (a
     *                                           {@link dev.graft.formats.pytorch.PytorchFormatException} for a
     *                                           checkpoint Graft refuses to read)
     */
    static ModelSource open(Path path) {
        return ModelSources.open(path);
    }

    /** The path it was opened from. */
    Path path();

    /** Every tensor, sorted by name. */
    List<TensorSpec> tensors();

    /** The spec of a tensor, if present. */
    Optional<TensorSpec> spec(String name);

    /**
     * A lazy view of a tensor's data.
     *
     * @throws ModelFormatException when the model has no such tensor
     */
    Tensor tensor(String name);

    /**
     * A tensor mapped on its own in the caller's arena; closing the arena unmaps it and releases its resident
     * pages (see {@link dev.graft.formats.safetensors.SafetensorsFile#map}).
     *
     * @throws ModelFormatException when the model has no such tensor
     */
    Tensor tensor(String name, java.lang.foreign.Arena arena);

    default boolean contains(String name) {
        return spec(name).isPresent();
    }

    /** The safetensors {@code __metadata__} (of the first shard for sharded models; empty for PyTorch checkpoints). */
    Map<String, String> metadata();

    /** The parsed {@code config.json}, when the model comes with one. */
    Optional<ModelConfig> config();

    /**
     * Every file or folder the model is read from, which an output must stay clear of: the path it was opened from,
     * and whatever else its tensors come from (an adapter folder).
     */
    default List<Path> inputs() {
        return List.of(path());
    }

    /**
     * The tensors read dequantized from a block-quantized type (see {@link TensorFile#dequantized()}), sorted by
     * name; empty for float checkpoints.
     */
    default List<String> dequantized() {
        return List.of();
    }

    /** The files the tensors come from (one, or the shards). */
    List<Path> files();

    /** Total bytes of tensor data. */
    default long dataBytes() {
        long sum = 0;
        for (TensorSpec s : tensors()) {
            sum += s.byteSize();
        }
        return sum;
    }

    /** Unmaps the files. */
    @Override
    void close();
}
