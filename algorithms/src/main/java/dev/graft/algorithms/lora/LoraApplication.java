package dev.graft.algorithms.lora;

import dev.graft.core.exec.DonorFiles;
import dev.graft.core.exec.MergeOutput;
import dev.graft.core.exec.Parallel;
import dev.graft.formats.gguf.export.GgufTypes;
import dev.graft.formats.lora.AdaptedModel;
import dev.graft.formats.lora.AdapterMismatchException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.TensorDataSink;
import dev.graft.formats.shard.ShardedWriter;
import dev.graft.formats.tensor.FiniteScan;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges LoRA adapters into a base model: per adapted weight
 * {@code W' = W + Σᵢ wᵢ·sᵢ·Bᵢ·Aᵢ} (transposed for {@code fan_in_fan_out} and embedding modules), with PEFT's
 * scaling {@code sᵢ = lora_alpha/r} ({@code lora_alpha/√r} with rsLoRA, per module through {@code rank_pattern} and
 * {@code alpha_pattern}); {@code lora_B} biases add {@code wᵢ·sᵢ·bᵢ} to the base bias; a {@code modules_to_save}
 * tensor {@code Sᵢ} contributes its difference to the base, {@code W' = (1 − Σwᵢ)·W + Σ wᵢ·Sᵢ} (so a single
 * adapter of weight 1 replaces the tensor, as PEFT does); a DoRA adapter (alone on its weights, at weight 1)
 * rescales each adapted weight by its magnitude vector, {@code m ⊙ W'/‖W'‖}. The arithmetic is
 * {@link AdaptedModel}'s, which merges read {@code MODEL+ADAPTER} inputs through: the bytes written here are the
 * values such an input has.
 *
 * <p>Arithmetic runs in float32 and each output tensor is rounded once to the base dtype. The output is a model
 * like a merge's: one {@code .safetensors} file, or a Hugging Face folder with the base's config and tokenizer,
 * written atomically. Tensors no adapter touches are copied byte for byte.
 *
 * <pre>{@code
 * ApplyReport r = LoraApplication.to(Path.of("Llama-3-8B"))
 *         .adapter(Path.of("math-lora"), 1.0)
 *         .adapter(Path.of("style-lora"), 0.5)
 *         .write(Path.of("merged"));
 * }</pre>
 */
public final class LoraApplication {
    private final Path base;
    private final List<Path> adapters = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean overwrite;
    private boolean allowNonFinite;
    private long maxShardBytes = ShardedWriter.DEFAULT_MAX_SHARD_BYTES;
    private GgufTypes ggufTypes = GgufTypes.DEFAULT;
    private LoraProgress progress = LoraProgress.NONE;

    private LoraApplication(Path base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    /** Starts an application to the model at {@code base} (file, index or folder). */
    public static LoraApplication to(Path base) {
        return new LoraApplication(base);
    }

    /** Adds an adapter folder with weight {@code weight} (negative to subtract it). */
    public LoraApplication adapter(Path dir, double weight) {
        adapters.add(Objects.requireNonNull(dir, "dir"));
        weights.add(weight);
        return this;
    }

    /** Tensors computed at once (default: all cores). */
    public LoraApplication threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + n);
        }
        this.threads = n;
        return this;
    }

    /** Replace an existing output (default: refuse). */
    public LoraApplication overwrite(boolean value) {
        this.overwrite = value;
        return this;
    }

    /**
     * Applies to a base or from adapters holding NaN or infinite values instead of refusing them (default: refuse,
     * naming the file, the tensor and the count, before any work for the adapters).
     */
    public LoraApplication allowNonFinite(boolean value) {
        this.allowNonFinite = value;
        return this;
    }

    /** Shard size limit of a folder output (default 5 GB). */
    public LoraApplication maxShardBytes(long bytes) {
        this.maxShardBytes = bytes;
        return this;
    }

    /**
     * The tensor types of a {@code .gguf} output, as {@code graft export gguf}'s {@code --type} and
     * {@code --keep-f16} (default: the model's own float type); only a {@code .gguf} output takes others.
     */
    public LoraApplication ggufTypes(GgufTypes types) {
        this.ggufTypes = Objects.requireNonNull(types, "types");
        return this;
    }

    public LoraApplication progress(LoraProgress listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * What an application did.
     *
     * @param output   the file or folder written
     * @param tensors  tensors written
     * @param changed  tensors an adapter changed
     * @param bytes    bytes of tensor data written
     * @param seconds  wall time
     */
    public record ApplyReport(Path output, int tensors, int changed, long bytes, double seconds) {
    }

    /**
     * Writes {@code base} with the adapters merged into {@code target} ({@code .safetensors} file or folder).
     *
     * @throws AdapterMismatchException when an adapter names a tensor the base lacks or has another shape, or a DoRA
     *                                  adapter is not alone at weight 1 on its weights
     */
    public ApplyReport write(Path target) {
        if (adapters.isEmpty()) {
            throw new IllegalStateException("no adapter to apply");
        }
        long start = System.nanoTime();
        // The same arithmetic as a merge's MODEL+ADAPTER input: one implementation, the same bits.
        try (AdaptedModel model = AdaptedModel.of(ModelSource.open(base), adapters, weights, allowNonFinite)) {
            List<TensorSpec> specs = model.tensors();
            long bytes = specs.stream().mapToLong(TensorSpec::byteSize).sum();
            progress.started(specs.size(), bytes);
            String card = ModelCards.applied(target.getFileName().toString(), base, adapters, weights);
            try (MergeOutput out = MergeOutput.open(MergeOutput.claim(target, overwrite, model.inputs(), bytes), specs,
                    model.config().orElse(null), DonorFiles.folderOf(model.path()), Map.of("README.md", card),
                    maxShardBytes, ggufTypes)) {
                Parallel.run(threads, "graft-lora-apply", specs, spec -> {
                    writeTensor(model, spec, out);
                    progress.itemDone(spec.name(), spec.byteSize());
                });
                Path published = out.commit();
                progress.finished();
                return new ApplyReport(published, specs.size(), model.adaptedTensors().size(), bytes,
                        (System.nanoTime() - start) / 1e9);
            }
        }
    }

    /** An adapted tensor streams to the output a band at a time, rounded once; any other is copied byte for byte. */
    private void writeTensor(AdaptedModel model, TensorSpec spec, MergeOutput out) {
        try (Arena arena = Arena.ofConfined(); TensorDataSink sink = out.sink(spec.name())) {
            if (model.adapts(spec.name())) {
                model.stream(spec.name(), arena, (values, first, count) -> sink.writeFloats(values, 0, count));
                return;
            }
            Tensor w = model.tensor(spec.name(), arena);
            if (!allowNonFinite) {
                FiniteScan.requireFinite(model.path(), w);
            }
            sink.writeFrom(w);
        }
    }
}
