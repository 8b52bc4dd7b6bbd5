package dev.graft.formats.peft;

import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Writes a PEFT adapter folder that {@code PeftModel.from_pretrained} loads: {@code adapter_model.safetensors} with
 * {@code {"format":"pt"}} metadata and keys named by {@link LoraKeys}, and {@code adapter_config.json}.
 * The weights file is atomic and the config is written after it, so a folder with a config is complete.
 */
public final class PeftAdapterWriter implements AutoCloseable {
    private final Path dir;
    private final AdapterConfig config;
    private final SafetensorsWriter weights;
    private final boolean overwrite;

    private PeftAdapterWriter(Path dir, AdapterConfig config, SafetensorsWriter weights, boolean overwrite) {
        this.dir = dir;
        this.config = config;
        this.weights = weights;
        this.overwrite = overwrite;
    }

    /**
     * Creates the folder if needed and starts the weights file.
     *
     * @param specs the adapter's tensors (use {@link LoraKeys} for their names)
     */
    public static PeftAdapterWriter create(Path dir, AdapterConfig config, Collection<TensorSpec> specs, boolean overwrite) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new dev.graft.formats.io.FileAccessException(dir, "cannot create adapter folder", e);
        }
        if (!overwrite && Files.exists(dir.resolve(AdapterConfig.FILE_NAME))) {
            throw new dev.graft.formats.io.OutputExistsException(dir.resolve(AdapterConfig.FILE_NAME));
        }
        SafetensorsWriter w = SafetensorsWriter.create(dir.resolve(PeftAdapter.WEIGHTS_FILE), specs,
                SafetensorsWriter.PT_METADATA, overwrite);
        return new PeftAdapterWriter(dir, config, w, overwrite);
    }

    public SafetensorsWriter.TensorSink sink(String name) {
        return weights.sink(name);
    }

    public void write(Tensor tensor) {
        weights.write(tensor);
    }

    public void writeFloats(String name, float[] values) {
        weights.writeFloats(name, values);
    }

    /** Publishes the weights, then the config. */
    public Path commit() {
        weights.commit();
        config.write(dir.resolve(AdapterConfig.FILE_NAME), overwrite);
        return dir;
    }

    @Override
    public void close() {
        weights.close();
    }
}
