package dev.graft.core.exec;

import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.io.OutputExistsException;
import dev.graft.formats.io.PendingOutputs;
import dev.graft.formats.json.PythonJson;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.shard.ShardedWriter;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A Hugging Face model folder: sharded safetensors and index, {@code config.json} (the donor's, dtype updated), the
 * donor's tokenizer and generation files, a model card and the recipe.
 *
 * <p>Everything is written into a hidden temp folder beside the target, which is renamed into place only when
 * complete: a failed or interrupted merge leaves nothing under the final name, and a replaced folder is swapped
 * out in one rename.
 */
final class FolderOutput implements MergeOutput {
    /** Files copied from the donor model, as mergekit copies them. */
    static final List<String> DONOR_FILES = List.of("tokenizer_config.json", "special_tokens_map.json",
            "tokenizer.json", "tokenizer.model", "added_tokens.json", "merges.txt", "vocab.json",
            "chat_template.jinja", "chat_template.json", "generation_config.json");
    static final String RECIPE_FILE = "graft_recipe.yml";
    private static final String TEMP_SUFFIX = ".graft-tmp";

    private final Path target;
    private final Path temp;
    private final ModelConfig config;
    private final Map<String, String> texts;
    private final Path donorFolder;
    private final boolean overwrite;
    private final ShardedWriter shards;
    private boolean done;

    /**
     * @param config      the {@code config.json} to write, or null for none
     * @param donorFolder the folder tokenizer and generation files are copied from, or null
     * @param texts       further files (name → content): the model card, the recipe
     */
    FolderOutput(Path target, List<TensorSpec> specs, ModelConfig config, Path donorFolder, Map<String, String> texts,
                 boolean overwrite, long maxShardBytes) {
        this.target = target.toAbsolutePath().normalize();
        this.config = config;
        this.texts = Map.copyOf(texts);
        this.donorFolder = donorFolder;
        this.overwrite = overwrite;
        if (!overwrite && Files.exists(this.target)) {
            throw new OutputExistsException(target);
        }
        Path parent = this.target.getParent();
        this.temp = parent.resolve("." + this.target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
        try {
            Files.createDirectories(parent);
            Files.createDirectory(temp);
            PendingOutputs.register(temp);
        } catch (IOException e) {
            throw new FileAccessException(parent, "cannot create the output folder", e);
        }
        try {
            this.shards = ShardedWriter.create(temp, specs, maxShardBytes, false);
        } catch (RuntimeException e) {
            deleteTree(temp);
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
            publish();
            PendingOutputs.unregister(temp);
            done = true;
            return target;
        } finally {
            if (!done) {
                deleteTree(temp);
            }
        }
    }

    private void writeExtras() {
        if (config != null) {
            AtomicFile.writeString(temp.resolve(ModelConfig.FILE_NAME), PythonJson.dumps(config.json(), 2, true) + "\n",
                    false);
        }
        if (donorFolder != null) {
            for (String f : DONOR_FILES) {
                Path src = donorFolder.resolve(f);
                if (Files.isRegularFile(src)) {
                    try {
                        Files.copy(src, temp.resolve(f));
                    } catch (IOException e) {
                        throw new FileAccessException(src, "cannot copy to the output folder", e);
                    }
                }
            }
        }
        for (Map.Entry<String, String> t : texts.entrySet()) {
            AtomicFile.writeString(temp.resolve(t.getKey()), t.getValue(), false);
        }
    }

    private void publish() {
        try {
            if (Files.exists(target)) {
                if (!overwrite) {
                    throw new OutputExistsException(target);
                }
                Path old = target.resolveSibling("." + target.getFileName() + ".graft-old-"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new FileAccessException(target, "cannot move the finished output into place", e);
        }
    }

    @Override
    public void close() {
        if (!done) {
            shards.close();
            deleteTree(temp);
            done = true;
        }
    }

    private static void deleteTree(Path dir) {
        PendingOutputs.unregister(dir);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: the folder is hidden and marked .graft-tmp
        }
    }
}
