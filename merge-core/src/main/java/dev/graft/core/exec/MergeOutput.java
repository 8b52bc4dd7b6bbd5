package dev.graft.core.exec;

import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a model's tensors go: one safetensors file, or a Hugging Face folder. Atomic either way: nothing appears
 * under the target name until {@link #commit()}.
 */
public interface MergeOutput extends AutoCloseable {
    /** Recipe file name in a merged folder. */
    String RECIPE_FILE = "graft_recipe.yml";

    /**
     * Opens the output for a model: a single file when {@code target} ends in {@code .safetensors} (then only the
     * tensors are written), else a folder with shards and index, {@code config.json}, the donor's tokenizer files
     * and the extra text files.
     *
     * @param specs         every tensor that will be written
     * @param config        the {@code config.json} of a folder, or null
     * @param donorFolder   the folder whose tokenizer and generation files are copied, or null
     * @param extraFiles    text files by name (model card, recipe)
     * @param overwrite     replace an existing target
     * @param maxShardBytes shard size limit of a folder
     */
    static MergeOutput open(Path target, List<TensorSpec> specs, ModelConfig config, Path donorFolder,
                            Map<String, String> extraFiles, boolean overwrite, long maxShardBytes) {
        if (target.getFileName().toString().endsWith(".safetensors")) {
            return new FileOutput(target, specs, overwrite);
        }
        return new FolderOutput(target, specs, config, donorFolder, extraFiles, overwrite, maxShardBytes);
    }

    /** A sink for one output tensor; tensors may be written from several threads, one sink each. */
    SafetensorsWriter.TensorSink sink(String name);

    /** Publishes the output under its final name. */
    Path commit();

    /** Abandons the output unless committed. */
    @Override
    void close();
}
