package dev.graft.core.exec;

import dev.graft.formats.shard.ShardedWriter;

/**
 * How to run a merge.
 *
 * @param threads       tensors merged at once
 * @param overwrite     replace an existing output
 * @param maxShardBytes shard size limit for folder outputs
 * @param progress      progress callbacks
 */
public record MergeOptions(int threads, boolean overwrite, long maxShardBytes, ProgressListener progress) {
    public MergeOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
    }

    /** All cores, no overwrite, 5 GB shards, no progress output. */
    public static MergeOptions defaults() {
        return new MergeOptions(Runtime.getRuntime().availableProcessors(), false, ShardedWriter.DEFAULT_MAX_SHARD_BYTES,
                ProgressListener.NONE);
    }

    public MergeOptions withOverwrite(boolean value) {
        return new MergeOptions(threads, value, maxShardBytes, progress);
    }

    public MergeOptions withThreads(int value) {
        return new MergeOptions(value, overwrite, maxShardBytes, progress);
    }

    public MergeOptions withProgress(ProgressListener value) {
        return new MergeOptions(threads, overwrite, maxShardBytes, value);
    }

    public MergeOptions withMaxShardBytes(long value) {
        return new MergeOptions(threads, overwrite, value, progress);
    }
}
