package dev.graft.algorithms.lora;

import dev.graft.core.exec.DonorFiles;
import dev.graft.core.exec.MergeOutput;
import dev.graft.core.exec.Parallel;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.peft.LoraModule;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.shard.ShardedWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.FiniteScan;
import dev.graft.formats.tensor.NonFiniteValuesException;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges LoRA adapters into a base model: per adapted weight
 * {@code W' = W + Σᵢ wᵢ·sᵢ·Bᵢ·Aᵢ} (transposed for {@code fan_in_fan_out} and embedding modules), with PEFT's
 * scaling {@code sᵢ = lora_alpha/r} ({@code lora_alpha/√r} with rsLoRA, per module through {@code rank_pattern} and
 * {@code alpha_pattern}); {@code lora_B} biases add {@code wᵢ·sᵢ·bᵢ} to the base bias; a {@code modules_to_save}
 * tensor {@code Sᵢ} contributes its difference to the base, {@code W' = (1 − Σwᵢ)·W + Σ wᵢ·Sᵢ} (so a single
 * adapter of weight 1 replaces the tensor, as PEFT does).
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
    private static final int BAND_ELEMENTS = 1 << 20;

    private final Path base;
    private final List<Path> adapters = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean overwrite;
    private boolean allowNonFinite;
    private long maxShardBytes = ShardedWriter.DEFAULT_MAX_SHARD_BYTES;
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

    /** A term added to one base tensor. */
    private sealed interface Term {
    }

    private record LowRank(LoraModule module, double scale, FactorLayout layout) implements Term {
    }

    private record Bias(Tensor bias, double scale) implements Term {
    }

    private record Saved(Tensor tensor, double weight) implements Term {
    }

    /**
     * Writes {@code base} with the adapters merged into {@code target} ({@code .safetensors} file or folder).
     *
     * @throws AdapterMismatchException when an adapter names a tensor the base lacks or has another shape
     */
    public ApplyReport write(Path target) {
        if (adapters.isEmpty()) {
            throw new IllegalStateException("no adapter to apply");
        }
        long start = System.nanoTime();
        List<AdapterContents> opened = new ArrayList<>();
        try (ModelSource model = ModelSource.open(base)) {
            for (Path a : adapters) {
                opened.add(AdapterContents.open(a));
            }
            Map<String, List<Term>> terms = plan(model, opened);
            List<TensorSpec> specs = model.tensors();
            long bytes = specs.stream().mapToLong(TensorSpec::byteSize).sum();
            progress.started(specs.size(), bytes);
            String card = ModelCards.applied(target.getFileName().toString(), base, adapters, weights);
            List<Path> inputs = new ArrayList<>(adapters);
            inputs.add(base);
            try (MergeOutput out = MergeOutput.open(MergeOutput.claim(target, overwrite, inputs, bytes), specs,
                    model.config().orElse(null), DonorFiles.folderOf(model.path()), Map.of("README.md", card),
                    maxShardBytes)) {
                Parallel.run(threads, "graft-lora-apply", specs, spec -> {
                    writeTensor(model, spec, terms.get(spec.name()), out);
                    progress.itemDone(spec.name(), spec.byteSize());
                });
                Path published = out.commit();
                progress.finished();
                return new ApplyReport(published, specs.size(), terms.size(), bytes, (System.nanoTime() - start) / 1e9);
            }
        } finally {
            opened.forEach(AdapterContents::close);
        }
    }

    private Map<String, List<Term>> plan(ModelSource model, List<AdapterContents> opened) {
        Map<String, List<Term>> terms = new LinkedHashMap<>();
        for (int i = 0; i < opened.size(); i++) {
            AdapterContents a = opened.get(i);
            double w = weights.get(i);
            for (LoraModule m : a.modules().values()) {
                String name = m.module() + ".weight";
                FactorLayout layout = a.layout(m);
                TensorSpec spec = baseSpec(model, a, name);
                long out = m.b().shape().dim(0);
                long in = m.a().shape().dim(1);
                Shape expected = layout == FactorLayout.LINEAR ? Shape.of(out, in) : Shape.of(in, out);
                if (!spec.shape().equals(expected)) {
                    throw new AdapterMismatchException(a.weightsFile(), "LoRA factors of \"" + m.module() + "\" make "
                            + (layout == FactorLayout.LINEAR ? "" : "the transpose of ") + "a [" + out + ", " + in
                            + "] delta, but tensor \"" + name + "\" of " + model.path() + " is " + spec.shape());
                }
                requireFinite(a, m.a());
                requireFinite(a, m.b());
                terms.computeIfAbsent(name, k -> new ArrayList<>()).add(new LowRank(m, w * m.scaling(), layout));
            }
            for (Map.Entry<String, Tensor> e : a.biases().entrySet()) {
                String name = e.getKey() + ".bias";
                TensorSpec spec = baseSpec(model, a, name);
                if (!spec.shape().equals(e.getValue().shape())) {
                    throw new AdapterMismatchException(a.weightsFile(), "tensor \"" + e.getValue().name() + "\" is "
                            + e.getValue().shape() + " but \"" + name + "\" of " + model.path() + " is " + spec.shape());
                }
                requireFinite(a, e.getValue());
                double scaling = a.modules().get(e.getKey()).scaling();
                terms.computeIfAbsent(name, k -> new ArrayList<>()).add(new Bias(e.getValue(), w * scaling));
            }
            for (Map.Entry<String, Tensor> e : a.saved().entrySet()) {
                TensorSpec spec = baseSpec(model, a, e.getKey());
                if (!spec.shape().equals(e.getValue().shape())) {
                    throw new AdapterMismatchException(a.weightsFile(), "modules_to_save tensor \""
                            + e.getValue().name() + "\" is " + e.getValue().shape() + " but \"" + e.getKey()
                            + "\" of " + model.path() + " is " + spec.shape());
                }
                requireFinite(a, e.getValue());
                terms.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new Saved(e.getValue(), w));
            }
        }
        return terms;
    }

    /** Adapters are small: all their tensors are checked before any work. */
    private void requireFinite(AdapterContents a, Tensor t) {
        if (!allowNonFinite) {
            FiniteScan.requireFinite(a.weightsFile(), t);
        }
    }

    private static TensorSpec baseSpec(ModelSource model, AdapterContents a, String name) {
        return model.spec(name).orElseThrow(() -> new AdapterMismatchException(a.weightsFile(), "adapts \"" + name
                + "\", which the base model " + model.path() + " does not have"));
    }

    private void writeTensor(ModelSource model, TensorSpec spec, List<Term> terms, MergeOutput out) {
        try (Arena arena = Arena.ofConfined(); SafetensorsWriter.TensorSink sink = out.sink(spec.name())) {
            Tensor w = model.tensor(spec.name(), arena);
            if (terms == null) {
                if (!allowNonFinite) {
                    FiniteScan.requireFinite(model.path(), w);
                }
                sink.writeFrom(w);
                return;
            }
            long count = spec.elementCount();
            int cols = spec.shape().rank() == 0 ? 1 : (int) spec.shape().dim(spec.shape().rank() - 1);
            List<LowRankProduct> products = new ArrayList<>();
            double keepBase = 1;
            for (Term t : terms) {
                switch (t) {
                    case LowRank lr -> products.add(LowRankProduct.of(lr.module().a(), lr.module().b(), lr.scale(),
                            lr.layout()));
                    case Saved s -> keepBase -= s.weight();
                    case Bias ignored -> {
                    }
                }
            }
            int bandRows = Math.max(1, BAND_ELEMENTS / Math.max(1, cols));
            float[] band = new float[(int) Math.min(count, (long) bandRows * cols)];
            float[] other = new float[band.length];
            long badBase = 0;
            long badOut = 0;
            for (long first = 0; first < count; first += band.length) {
                int n = (int) Math.min(band.length, count - first);
                w.readFloats(first, band, 0, n);
                badBase += FiniteScan.countNonFinite(band, 0, n);
                if (keepBase != 1) {
                    float k = (float) keepBase;
                    for (int i = 0; i < n; i++) {
                        band[i] *= k;
                    }
                }
                for (Term t : terms) {
                    if (t instanceof Saved s) {
                        addScaled(s.tensor(), s.weight(), first, n, band, other);
                    } else if (t instanceof Bias b) {
                        addScaled(b.bias(), b.scale(), first, n, band, other);
                    }
                }
                for (LowRankProduct p : products) {
                    p.addRows((int) (first / cols), n / cols, band);
                }
                badOut += FiniteScan.countNonFinite(band, 0, n);
                sink.writeFloats(band, 0, n);
            }
            if (badBase > 0 && !allowNonFinite) {
                throw NonFiniteValuesException.input(model.path(), spec.name(), badBase);
            }
            if (badOut > badBase && !allowNonFinite) {
                throw new NonFiniteValuesException(model.path(), spec.name(), badOut, "applying the adapters to "
                        + "tensor \"" + spec.name() + "\" gave " + badOut + " non-finite values from finite inputs "
                        + "(do the weights overflow float32?); nothing was written");
            }
        }
    }

    private static void addScaled(Tensor t, double scale, long first, int n, float[] dst, float[] scratch) {
        t.readFloats(first, scratch, 0, n);
        float s = (float) scale;
        for (int i = 0; i < n; i++) {
            dst[i] += s * scratch[i];
        }
    }
}
