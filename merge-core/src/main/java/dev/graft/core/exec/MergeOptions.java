package dev.graft.core.exec;

import dev.graft.formats.gguf.export.GgufTypes;
import dev.graft.formats.shard.ShardedWriter;

/**
 * How to run a merge.
 *
 * @param threads       tensors merged at once
 * @param overwrite     replace an existing output
 * @param maxShardBytes shard size limit for folder outputs
 * @param progress      progress callbacks
 * @param cacheBytes    heap that running tasks may share to keep decoded inputs between passes (0: never)
 * @param allowNonFinite merge inputs holding NaN or infinite values instead of refusing them
 * @param ggufTypes     tensor types of a {@code .gguf} output ({@code --type}, {@code --keep-f16}); only the
 *                      default for other outputs
 */
public record MergeOptions(int threads, boolean overwrite, long maxShardBytes, ProgressListener progress,
                           long cacheBytes, boolean allowNonFinite, GgufTypes ggufTypes) {
    /**
     * Default pass cache: enough for two 4096×4096 tensors of four models at once, at most five eighths of the heap
     * (the launcher gives merges a 1 GB heap, which then holds the whole 640 MiB; an allocation that does not fit
     * the heap's fragments makes that tensor stream from the files instead).
     */
    public static final long DEFAULT_CACHE_BYTES = 640L << 20;

    public MergeOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        java.util.Objects.requireNonNull(ggufTypes, "ggufTypes");
    }

    /** All cores, no overwrite, 5 GB shards, no progress output, a GGUF output in the model's own float type. */
    public static MergeOptions defaults() {
        return new MergeOptions(Runtime.getRuntime().availableProcessors(), false, ShardedWriter.DEFAULT_MAX_SHARD_BYTES,
                ProgressListener.NONE, Math.min(DEFAULT_CACHE_BYTES, Runtime.getRuntime().maxMemory() / 8 * 5), false,
                GgufTypes.DEFAULT);
    }

    public MergeOptions withOverwrite(boolean value) {
        return new MergeOptions(threads, value, maxShardBytes, progress, cacheBytes, allowNonFinite, ggufTypes);
    }

    public MergeOptions withThreads(int value) {
        return new MergeOptions(value, overwrite, maxShardBytes, progress, cacheBytes, allowNonFinite, ggufTypes);
    }

    public MergeOptions withProgress(ProgressListener value) {
        return new MergeOptions(threads, overwrite, maxShardBytes, value, cacheBytes, allowNonFinite, ggufTypes);
    }

    public MergeOptions withMaxShardBytes(long value) {
        return new MergeOptions(threads, overwrite, value, progress, cacheBytes, allowNonFinite, ggufTypes);
    }

    public MergeOptions withCacheBytes(long value) {
        return new MergeOptions(threads, overwrite, maxShardBytes, progress, value, allowNonFinite, ggufTypes);
    }

    /** Whether inputs holding NaN or infinite values are merged (their non-finite values then reach the output). */
    public MergeOptions withAllowNonFinite(boolean value) {
        return new MergeOptions(threads, overwrite, maxShardBytes, progress, cacheBytes, value, ggufTypes);
    }

    /** The tensor types of a {@code .gguf} output. */
    public MergeOptions withGgufTypes(GgufTypes value) {
        return new MergeOptions(threads, overwrite, maxShardBytes, progress, cacheBytes, allowNonFinite, value);
    }
}
