package dev.graft.testmodels;

import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.json.PythonJson;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.shard.ShardedWriter;

import java.nio.file.Path;
import java.util.function.Function;

/** Streams a generated model into a Hugging Face folder: weights (sharded if asked), then {@code config.json}. */
final class CheckpointWriter {
    /** Values generated and converted per step: bounded memory for tensors of any size. */
    static final int CHUNK = 1 << 16;

    private CheckpointWriter() {
    }

    /**
     * @param values the value source of each tensor
     * @return the folder
     */
    static Path write(TinyModel model, Path dir, boolean overwrite, Function<TensorBlueprint, TensorValues> values) {
        float[] buffer = new float[CHUNK];
        try (ShardedWriter out = ShardedWriter.create(dir, model.specs(), model.maxShardBytes(), overwrite)) {
            for (TensorBlueprint t : model.tensors()) {
                TensorValues source = values.apply(t);
                try (SafetensorsWriter.TensorSink sink = out.sink(t.name())) {
                    for (long left = t.shape().elementCount(); left > 0; left -= CHUNK) {
                        int n = (int) Math.min(CHUNK, left);
                        source.next(buffer, n);
                        sink.writeFloats(buffer, 0, n);
                    }
                }
            }
            out.commit();
        }
        // transformers' save_pretrained style: indent 2, sorted keys, trailing newline
        AtomicFile.writeString(dir.resolve(ModelConfig.FILE_NAME), PythonJson.dumps(model.config(), 2, true) + "\n",
                overwrite);
        return dir;
    }
}
