package dev.graft.testmodels;

import dev.graft.formats.dtype.DType;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The options every generator shares: dtype, seed and shard size.
 *
 * @param <B> the concrete builder, returned by the setters so calls chain
 */
public abstract class ModelBuilder<B extends ModelBuilder<B>> {
    DType dtype = DType.BF16;
    long seed;
    long maxShardBytes = Long.MAX_VALUE;

    ModelBuilder() {
    }

    /** The dtype of every tensor (default BF16; any floating-point dtype). */
    public B dtype(DType dtype) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        return self();
    }

    /** The seed of the values (default 0). */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /** Splits the weights into shards of at most this many bytes (default: one file). */
    public B maxShardBytes(long maxShardBytes) {
        this.maxShardBytes = maxShardBytes;
        return self();
    }

    /** The model these options describe. */
    public abstract TinyModel build();

    /** Builds and writes the model into {@code dir}; see {@link TinyModel#writeTo(Path)}. */
    public Path writeTo(Path dir) {
        return build().writeTo(dir);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    static int positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, not " + value);
        }
        return value;
    }
}
