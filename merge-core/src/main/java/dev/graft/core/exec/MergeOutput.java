package dev.graft.core.exec;

import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a model being written goes: one safetensors file, or a Hugging Face folder. Atomic either way: nothing
 * appears under the target name until {@link #commit()}, and closing an uncommitted output removes every temp
 * file. Merges and decompressions both write through it.
 */
public interface MergeOutput extends AutoCloseable {
    /** Whether {@code target} names a single file (it ends in {@code .safetensors}) rather than a folder. */
    static boolean isFile(Path target) {
        return target.getFileName().toString().endsWith(".safetensors");
    }

    /**
     * A single {@code .safetensors} file holding {@code specs}, with {@code {"format": "pt"}} metadata.
     *
     * @throws dev.graft.formats.io.OutputExistsException when it exists and {@code overwrite} is false
     */
    static MergeOutput file(Path target, List<TensorSpec> specs, boolean overwrite) {
        return new FileOutput(target, specs, overwrite);
    }

    /**
     * A Hugging Face model folder: sharded safetensors and index, {@code config.json}, the donor's tokenizer and
     * generation files, and further text files.
     *
     * @param config      the {@code config.json} to write, or null for none
     * @param donorFolder the folder tokenizer and generation files are copied from, or null
     * @param texts       further files, name → content (a model card, a recipe)
     * @throws dev.graft.formats.io.OutputExistsException when it exists and {@code overwrite} is false
     */
    static MergeOutput folder(Path target, List<TensorSpec> specs, ModelConfig config, Path donorFolder,
                              Map<String, String> texts, boolean overwrite, long maxShardBytes) {
        return new FolderOutput(target, specs, config, donorFolder, texts, overwrite, maxShardBytes);
    }

    /** A sink for one output tensor; tensors may be written from several threads, one sink each. */
    SafetensorsWriter.TensorSink sink(String name);

    /** Publishes the output under its final name. */
    Path commit();

    /** Abandons the output unless committed. */
    @Override
    void close();
}
