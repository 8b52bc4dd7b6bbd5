package dev.graft.testmodels;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.json.PythonJson;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A generated checkpoint, fully described before any value is drawn: its tensors, {@code config.json}, dtype,
 * seed and shard size. Built by {@link TinyLlama} and {@link TinyGpt2}; written by {@link #writeTo} or, with
 * fine-tunes, by {@link FineTuneFamily}.
 *
 * @param tensors       in module registration order (the order shards are filled in)
 * @param config        the {@code config.json} content
 * @param dtype         the dtype every tensor is stored in
 * @param seed          the seed of the values; the same seed writes the same bytes
 * @param maxShardBytes shard size limit ({@link Long#MAX_VALUE}: a single {@code model.safetensors})
 */
public record TinyModel(List<TensorBlueprint> tensors, ObjectNode config, DType dtype, long seed, long maxShardBytes) {
    public TinyModel {
        tensors = List.copyOf(tensors);
        config = Objects.requireNonNull(config, "config").deepCopy();
        Objects.requireNonNull(dtype, "dtype");
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("generated models use a floating-point dtype, not " + dtype);
        }
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("shard size limit must be positive, not " + maxShardBytes);
        }
    }

    /** A copy of the config. */
    @Override
    public ObjectNode config() {
        return config.deepCopy();
    }

    /** The tensors as written. */
    public List<TensorSpec> specs() {
        return tensors.stream().map(t -> new TensorSpec(t.name(), dtype, t.shape())).toList();
    }

    /** Total number of values. */
    public long parameterCount() {
        return tensors.stream().mapToLong(t -> t.shape().elementCount()).sum();
    }

    /** The {@code config.json} text as written. */
    public String configJson() {
        return PythonJson.dumps(config, 2, true) + "\n";
    }

    /**
     * Writes the model into a folder ({@code model.safetensors} or shards plus index, and {@code config.json}),
     * creating it if needed.
     *
     * @throws dev.graft.formats.io.OutputExistsException when one of the files exists
     */
    public Path writeTo(Path dir) {
        return writeTo(dir, false);
    }

    /** Writes the model, replacing existing files when {@code overwrite} is set. */
    public Path writeTo(Path dir, boolean overwrite) {
        return CheckpointWriter.write(this, dir, overwrite, t -> new BaseValues(t, seed));
    }
}
