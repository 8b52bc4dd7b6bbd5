package dev.graft.formats.model;

import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model read through another: every call is handed to {@link #model}; a subclass overrides what it changes (the
 * tensors of a model with an adapter applied, the config of a model with its architecture overridden).
 */
public abstract class ForwardingModelSource implements ModelSource {
    /** The model read through; closed by {@link #close()}. */
    protected final ModelSource model;

    protected ForwardingModelSource(ModelSource model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public Path path() {
        return model.path();
    }

    @Override
    public List<TensorSpec> tensors() {
        return model.tensors();
    }

    @Override
    public Optional<TensorSpec> spec(String name) {
        return model.spec(name);
    }

    @Override
    public Tensor tensor(String name) {
        return model.tensor(name);
    }

    @Override
    public Tensor tensor(String name, Arena arena) {
        return model.tensor(name, arena);
    }

    @Override
    public Map<String, String> metadata() {
        return model.metadata();
    }

    @Override
    public Optional<ModelConfig> config() {
        return model.config();
    }

    @Override
    public List<Path> inputs() {
        return model.inputs();
    }

    @Override
    public List<Path> files() {
        return model.files();
    }

    @Override
    public long dataBytes() {
        return model.dataBytes();
    }

    @Override
    public void close() {
        model.close();
    }
}
