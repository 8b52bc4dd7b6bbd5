package dev.graft.core.convert;

import dev.graft.core.exec.DonorFiles;
import dev.graft.core.exec.MergeOutput;
import dev.graft.core.exec.Parallel;
import dev.graft.formats.gguf.export.GgufTypes;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.shard.ShardedWriter;
import dev.graft.formats.tensor.NaturalOrder;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorDataSink;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes a model as safetensors, every tensor's bytes copied unchanged (same names, dtypes, shapes, bits): the way
 * off PyTorch's pickle-based {@code .bin} files, and a re-sharding of safetensors models.
 *
 * <pre>{@code
 * try (ModelSource m = ModelSource.open(Path.of("old-model"))) {       // pytorch_model.bin(.index.json), .pt …
 *     Conversion.Report r = Conversion.of(m).write(Path.of("new-model")); // a folder; "x.safetensors" for one file
 * }
 * }</pre>
 *
 * <p>The output is written as merges write theirs ({@link MergeOutput}): claimed before any work (never over an
 * input, an existing one only with {@link #overwrite}), a single file when the target ends in {@code .safetensors},
 * else a Hugging Face folder with shards of at most {@link #maxShardBytes} and their index, the model's
 * {@code config.json} and its tokenizer and generation files; nothing appears under the final name until all of it
 * is written. Tensors stream one by one through their own mappings, several at once, in natural name order.
 */
public final class Conversion {
    private final ModelSource model;
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean overwrite;
    private long maxShardBytes = ShardedWriter.DEFAULT_MAX_SHARD_BYTES;
    private Consumer<TensorSpec> progress = spec -> {
    };

    /** What a conversion wrote. */
    public record Report(Path output, int tensors, long bytes, double seconds) {
    }

    private Conversion(ModelSource model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** A conversion of an open model, with defaults: all cores, no overwrite, 5 GB shards. */
    public static Conversion of(ModelSource model) {
        return new Conversion(model);
    }

    /** Tensors copied at once. */
    public Conversion threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + n);
        }
        this.threads = n;
        return this;
    }

    /** Whether an existing output (a file, or a folder holding only an earlier Graft output) may be replaced. */
    public Conversion overwrite(boolean value) {
        this.overwrite = value;
        return this;
    }

    /** Shard size limit of a folder output. */
    public Conversion maxShardBytes(long value) {
        this.maxShardBytes = value;
        return this;
    }

    /** Called from the worker threads after each tensor is written. */
    public Conversion progress(Consumer<TensorSpec> listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Every tensor in the order they are written (natural name order, as merges write theirs). */
    public List<TensorSpec> tensors() {
        List<TensorSpec> specs = new ArrayList<>(model.tensors());
        specs.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.name(), b.name()));
        return specs;
    }

    /**
     * Writes the model into {@code target}: a {@code .safetensors} file, or else a Hugging Face folder.
     *
     * @throws dev.graft.formats.FormatException when the output is refused or a file cannot be read or written
     */
    public Report write(Path target) {
        long start = System.nanoTime();
        List<TensorSpec> specs = tensors();
        long bytes = specs.stream().mapToLong(TensorSpec::byteSize).sum();
        List<Path> inputs = new ArrayList<>(model.files());
        inputs.add(model.path());
        try (MergeOutput out = MergeOutput.open(MergeOutput.claim(target, overwrite, inputs, bytes), specs,
                model.config().orElse(null), DonorFiles.folderOf(model.path()), Map.of(), maxShardBytes,
                GgufTypes.DEFAULT)) {
            Parallel.run(threads, "graft-convert", specs, spec -> {
                copy(spec, out);
                progress.accept(spec);
            });
            Path published = out.commit();
            return new Report(published, specs.size(), bytes, (System.nanoTime() - start) / 1e9);
        }
    }

    /** One tensor through its own mapping, released once copied, so resident memory stays small. */
    private void copy(TensorSpec spec, MergeOutput out) {
        try (Arena arena = Arena.ofConfined(); TensorDataSink sink = out.sink(spec.name())) {
            Tensor t = model.tensor(spec.name(), arena);
            sink.writeFrom(t);
        }
    }
}
