package dev.graft.core.exec;

import dev.graft.formats.safetensors.SafetensorsWriter;

import java.nio.file.Path;

/** Where a merge's tensors go: one safetensors file, or a Hugging Face folder. Atomic either way. */
interface MergeOutput extends AutoCloseable {
    /** A sink for one output tensor; tensors may be written from several threads, one sink each. */
    SafetensorsWriter.TensorSink sink(String name);

    /** Publishes the output under its final name. */
    Path commit();

    /** Abandons the output unless committed. */
    @Override
    void close();
}
