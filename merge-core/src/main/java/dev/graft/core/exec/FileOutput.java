package dev.graft.core.exec;

import dev.graft.formats.io.OutputClaim;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.List;

/** A single {@code .safetensors} file, written atomically by {@link SafetensorsWriter}. */
final class FileOutput implements MergeOutput {
    private final SafetensorsWriter writer;

    FileOutput(OutputClaim claim, List<TensorSpec> specs) {
        this.writer = SafetensorsWriter.create(claim, specs, SafetensorsWriter.PT_METADATA);
    }

    @Override
    public SafetensorsWriter.TensorSink sink(String name) {
        return writer.sink(name);
    }

    @Override
    public Path commit() {
        return writer.commit();
    }

    @Override
    public void close() {
        writer.close();
    }
}
