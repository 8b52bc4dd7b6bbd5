package dev.graft.core.exec;

import dev.graft.core.plan.Plan;
import dev.graft.core.plan.TensorTask;
import dev.graft.formats.safetensors.SafetensorsWriter;

import java.nio.file.Path;

/** A single {@code .safetensors} file, written atomically by {@link SafetensorsWriter}. */
final class FileOutput implements MergeOutput {
    private final SafetensorsWriter writer;

    FileOutput(Path target, Plan plan, boolean overwrite) {
        this.writer = SafetensorsWriter.create(target, plan.tasks().stream().map(TensorTask::output).toList(),
                SafetensorsWriter.PT_METADATA, overwrite);
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
