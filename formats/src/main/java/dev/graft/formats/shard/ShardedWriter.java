package dev.graft.formats.shard;

import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.safetensors.TensorInfo;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Writes a checkpoint as size-limited shards plus {@code model.safetensors.index.json}, the layout
 * {@code save_pretrained} and mergekit produce: {@code model-00001-of-0000N.safetensors} (1-based, 5 digits), or a
 * single {@code model.safetensors} and no index when everything fits in one shard.
 *
 * <p>Shards are filled in the order the specs are given, as huggingface_hub splits a state dict: a new shard
 * starts when the next tensor would push the current one past the limit, and a tensor larger than the limit goes
 * alone. Each shard is an atomic {@link SafetensorsWriter}; the index is written last, so a reader never sees an
 * index whose shards are incomplete.
 */
public final class ShardedWriter implements AutoCloseable {
    /** 5 GB (decimal), the default of huggingface_hub, transformers 4.35–4.57 and mergekit. */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

    private final Path dir;
    private final boolean overwrite;
    private final List<SafetensorsWriter> shards;
    private final List<String> shardNames;
    private final Map<String, Integer> shardOf = new HashMap<>();

    private ShardedWriter(Path dir, boolean overwrite, List<SafetensorsWriter> shards, List<String> shardNames) {
        this.dir = dir;
        this.overwrite = overwrite;
        this.shards = shards;
        this.shardNames = shardNames;
        for (int i = 0; i < shards.size(); i++) {
            for (TensorInfo t : shards.get(i).layout()) {
                shardOf.put(t.name(), i);
            }
        }
    }

    /** Splits tensors into shards of at most {@code maxShardBytes} each (except single tensors larger than that). */
    public static List<List<TensorSpec>> planShards(List<TensorSpec> specs, long maxShardBytes) {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("shard size limit must be positive, not " + maxShardBytes);
        }
        List<List<TensorSpec>> out = new ArrayList<>();
        List<TensorSpec> current = new ArrayList<>();
        long size = 0;
        for (TensorSpec s : specs) {
            long b = s.byteSize();
            if (b > maxShardBytes) {
                out.add(List.of(s));
                continue;
            }
            if (!current.isEmpty() && size + b > maxShardBytes) {
                out.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(s);
            size += b;
        }
        if (!current.isEmpty() || out.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** {@code model-00002-of-00005.safetensors}. */
    public static String shardName(int index, int count) {
        return count == 1 ? "model.safetensors" : String.format("model-%05d-of-%05d.safetensors", index + 1, count);
    }

    /**
     * Creates the folder if needed and starts every shard.
     *
     * @param specs         tensors in the order to fill shards
     * @param maxShardBytes limit per shard ({@link #DEFAULT_MAX_SHARD_BYTES})
     * @param overwrite     replace existing shard and index files
     */
    public static ShardedWriter create(Path dir, List<TensorSpec> specs, long maxShardBytes, boolean overwrite) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FileAccessException(dir, "cannot create output folder", e);
        }
        List<List<TensorSpec>> plan = planShards(specs, maxShardBytes);
        List<SafetensorsWriter> writers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try {
            for (int i = 0; i < plan.size(); i++) {
                String name = shardName(i, plan.size());
                names.add(name);
                writers.add(SafetensorsWriter.create(dir.resolve(name), plan.get(i), SafetensorsWriter.PT_METADATA,
                        overwrite));
            }
            if (plan.size() > 1 && !overwrite && Files.exists(dir.resolve(ShardIndex.FILE_NAME))) {
                throw new dev.graft.formats.io.OutputExistsException(dir.resolve(ShardIndex.FILE_NAME));
            }
        } catch (RuntimeException e) {
            writers.forEach(SafetensorsWriter::close);
            throw e;
        }
        return new ShardedWriter(dir, overwrite, writers, names);
    }

    /** The shard file names, in order. */
    public List<String> shardNames() {
        return List.copyOf(shardNames);
    }

    /** A sink for one tensor, in whichever shard holds it. */
    public SafetensorsWriter.TensorSink sink(String name) {
        return writerOf(name).sink(name);
    }

    public void write(Tensor tensor) {
        writerOf(tensor.name()).write(tensor);
    }

    public void writeFloats(String name, float[] values) {
        writerOf(name).writeFloats(name, values);
    }

    private SafetensorsWriter writerOf(String name) {
        Integer i = shardOf.get(name);
        // An unknown name: let the first shard's writer raise its TENSOR_NOT_FOUND error.
        return shards.get(i == null ? 0 : i);
    }

    /**
     * Publishes every shard, then the index (when there is more than one shard).
     *
     * @return the folder
     */
    public Path commit() {
        Map<String, String> weightMap = new LinkedHashMap<>();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            for (TensorInfo t : shards.get(i).layout()) {
                weightMap.put(t.name(), shardNames.get(i));
                total += t.byteSize();
            }
        }
        for (SafetensorsWriter w : shards) {
            w.commit();
        }
        if (shards.size() > 1) {
            new ShardIndex(weightMap, OptionalLong.of(total)).write(dir.resolve(ShardIndex.FILE_NAME), overwrite);
        }
        return dir;
    }

    /** Abandons every shard not yet committed. */
    @Override
    public void close() {
        shards.forEach(SafetensorsWriter::close);
    }
}
