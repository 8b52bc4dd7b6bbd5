package dev.graft.core.exec;

import dev.graft.formats.gguf.export.GgufTypes;
import dev.graft.formats.io.OutputClaim;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.tensor.TensorDataSink;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where a model's tensors go: one safetensors file, one GGUF file for llama.cpp, or a Hugging Face folder. Atomic
 * each way: nothing appears under the target name until {@link #commit()}.
 */
public interface MergeOutput extends AutoCloseable {
    /** Recipe file name in a merged folder. */
    String RECIPE_FILE = "graft_recipe.yml";

    /** The name ending of a GGUF output (any case). */
    String GGUF_SUFFIX = ".gguf";

    /**
     * Claims {@code target} before any work (see {@link OutputClaim}): a file when its name ends in
     * {@code .safetensors} or {@code .gguf}, else a folder.
     *
     * @param inputs        the merge's inputs, which the output must stay clear of
     * @param expectedBytes the output's size, for the free-space check
     */
    static OutputClaim claim(Path target, boolean overwrite, Collection<Path> inputs, long expectedBytes) {
        return isFile(target) ? OutputClaim.file(target, overwrite, inputs, expectedBytes)
                : OutputClaim.folder(target, overwrite, inputs, expectedBytes);
    }

    /**
     * Opens the output of a claim made by {@link #claim}, which the output then owns: a single file when the
     * target ends in {@code .safetensors} (then only the tensors are written); a GGUF file when it ends in
     * {@code .gguf}, with the tensors, names, layouts and metadata {@code graft export gguf} would give the folder
     * ({@link GgufOutput}); else a folder with shards and index, {@code config.json}, the donor's tokenizer files
     * and the extra text files.
     *
     * @throws dev.graft.formats.gguf.GgufException for a GGUF target whose architecture or tensors have no GGUF
     *                                              mapping, before any tensor is written
     *
     * @param specs         every tensor that will be written
     * @param config        the {@code config.json} of a folder, or null
     * @param donorFolder   the folder whose tokenizer and generation files are copied, or null
     * @param notCopied     the donor's files not copied (the extra files write merged versions of them)
     * @param extraFiles    text files by name (model card, recipe, merged tokenizer files)
     * @param maxShardBytes shard size limit of a folder
     * @param ggufTypes     the tensor types of a GGUF file ({@code --type}, {@code --keep-f16})
     * @throws IllegalArgumentException when {@code ggufTypes} asks for anything and the target is not a GGUF file
     */
    static MergeOutput open(OutputClaim claim, List<TensorSpec> specs, ModelConfig config, Path donorFolder,
                            java.util.Set<String> notCopied, Map<String, String> extraFiles, long maxShardBytes,
                            GgufTypes ggufTypes) {
        if (isGguf(claim.target())) {
            return new GgufOutput(claim, specs, config, donorFolder, notCopied, extraFiles, ggufTypes);
        }
        if (!ggufTypes.isDefault()) {
            claim.close();
            throw new IllegalArgumentException("GGUF tensor types are for a .gguf output, not " + claim.target());
        }
        if (isFile(claim.target())) {
            return new FileOutput(claim, specs);
        }
        return new FolderOutput(claim, specs, config, donorFolder, notCopied, extraFiles, maxShardBytes);
    }

    /** {@link #open(OutputClaim, List, ModelConfig, Path, java.util.Set, Map, long, GgufTypes)}, default types. */
    static MergeOutput open(OutputClaim claim, List<TensorSpec> specs, ModelConfig config, Path donorFolder,
                            java.util.Set<String> notCopied, Map<String, String> extraFiles, long maxShardBytes) {
        return open(claim, specs, config, donorFolder, notCopied, extraFiles, maxShardBytes, GgufTypes.DEFAULT);
    }

    /** {@link #open(OutputClaim, List, ModelConfig, Path, java.util.Set, Map, long, GgufTypes)} copying all the donor's files. */
    static MergeOutput open(OutputClaim claim, List<TensorSpec> specs, ModelConfig config, Path donorFolder,
                            Map<String, String> extraFiles, long maxShardBytes, GgufTypes ggufTypes) {
        return open(claim, specs, config, donorFolder, java.util.Set.of(), extraFiles, maxShardBytes, ggufTypes);
    }

    private static boolean isFile(Path target) {
        return target.getFileName() != null && target.getFileName().toString().endsWith(".safetensors")
                || isGguf(target);
    }

    /** Whether {@code target} names a GGUF file. */
    static boolean isGguf(Path target) {
        return dev.graft.formats.gguf.GgufFile.isGgufName(target);
    }

    /** A sink for one output tensor; tensors may be written from several threads, one sink each. */
    TensorDataSink sink(String name);

    /** Publishes the output under its final name. */
    Path commit();

    /** Abandons the output unless committed. */
    @Override
    void close();
}
