package dev.graft.core.exec;

import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.io.AtomicFolder;
import dev.graft.formats.io.OutputClaim;
import dev.graft.formats.json.PythonJson;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.shard.ShardedWriter;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face model folder: sharded safetensors and index, {@code config.json}, the donor's tokenizer and
 * generation files, and text files such as a model card and the recipe.
 *
 * <p>Everything is written into a hidden temp folder beside the target, which is renamed into place only when
 * complete: a failed or interrupted merge leaves nothing under the final name, and a replaced folder is swapped
 * out in one rename, after which only the files its manifest lists are deleted.
 */
final class FolderOutput implements MergeOutput {
    private final Path target;
    private final ModelConfig config;
    private final Path donorFolder;
    private final java.util.Set<String> notCopied;
    private final Map<String, String> extraFiles;
    private final AtomicFolder folder;
    private final ShardedWriter shards;
    private boolean done;

    /**
     * @param config     the {@code config.json} to write, or null
     * @param notCopied  the donor's files left out (merged versions of them are among the extra files)
     * @param extraFiles further text files by name (model card, recipe, merged tokenizer files)
     */
    FolderOutput(OutputClaim claim, List<TensorSpec> specs, ModelConfig config, Path donorFolder,
                 java.util.Set<String> notCopied, Map<String, String> extraFiles, long maxShardBytes) {
        this.target = claim.target();
        this.config = config;
        this.donorFolder = donorFolder;
        this.notCopied = java.util.Set.copyOf(notCopied);
        this.extraFiles = Map.copyOf(extraFiles);
        this.folder = AtomicFolder.create(claim);
        try {
            this.shards = ShardedWriter.create(folder.temp(), specs, maxShardBytes, false);
        } catch (RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    @Override
    public SafetensorsWriter.TensorSink sink(String name) {
        return shards.sink(name);
    }

    @Override
    public Path commit() {
        try {
            shards.commit();
            writeExtras();
            folder.commit();
            done = true;
            return target;
        } finally {
            if (!done) {
                folder.close();
            }
        }
    }

    private void writeExtras() {
        writeSideFiles(folder.temp(), config, donorFolder, notCopied, extraFiles);
    }

    /**
     * The files of a merged folder beside its weights: {@code config.json} (if {@code config} is not null), the
     * donor's tokenizer and generation files but {@code notCopied}, and {@code extraFiles}.
     */
    static void writeSideFiles(Path temp, ModelConfig config, Path donorFolder, java.util.Set<String> notCopied,
                               Map<String, String> extraFiles) {
        if (config != null) {
            AtomicFile.writeString(temp.resolve(ModelConfig.FILE_NAME), PythonJson.dumps(config.json(), 2, true) + "\n",
                    false);
        }
        if (donorFolder != null) {
            DonorFiles.copy(donorFolder, temp, notCopied);
        }
        extraFiles.forEach((name, text) -> AtomicFile.writeString(temp.resolve(name), text, false));
    }

    @Override
    public void close() {
        if (!done) {
            shards.close();
            folder.close();
            done = true;
        }
    }
}
