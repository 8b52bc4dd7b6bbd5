package dev.graft.algorithms.lora;

import dev.graft.core.exec.Parallel;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.model.ModelFormatException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.peft.AdapterConfig;
import dev.graft.formats.peft.BaseModelName;
import dev.graft.formats.peft.LoraKeys;
import dev.graft.formats.peft.PeftTaskType;
import dev.graft.formats.simd.VectorWork;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.FiniteScan;
import dev.graft.formats.tensor.NonFiniteValuesException;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.RandomizedSvdOptions;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * PHLoRA extraction (arXiv 2509.10971): a PEFT LoRA adapter whose factors are the truncated SVD of
 * {@code ΔW = W_tuned − W_base}, per module. With {@code ΔW ≈ U_r·S_r·V_rᵀ}, {@code B = U_r·√S_r} and
 * {@code A = √S_r·V_rᵀ} (or S on one side, {@link FactorSplit}), and {@code lora_alpha = r}, so PEFT's scaling is 1
 * and {@code B·A} is the truncation itself.
 *
 * <p>Each module's delta is factored by a randomized SVD (Halko–Martinsson–Tropp: Gaussian sketch of
 * {@code r + 10} columns, 2 power iterations, QR, small exact SVD) on the {@link LinearAlgebra} backend's GEMMs,
 * or by LAPACK's {@code sgesdd} for small matrices ({@link #exactBelow}) or with {@link #exact}. What is factored,
 * saved whole or dropped is decided by a {@link ModuleSelection}. Modules are processed in parallel, one delta per
 * thread in memory; the factors are spilled to disk until the adapter is written.
 *
 * <pre>{@code
 * ExtractionReport r = Extraction.of(Path.of("Llama-3-8B"), Path.of("Llama-3-8B-math"))
 *         .rank(64)
 *         .write(Path.of("math-lora"));
 * System.out.println(r.overallEnergy());
 * }</pre>
 */
public final class Extraction {
    /** Matrices with {@code min(out, in)} at most this are factored exactly by default: cheap either way. */
    public static final int DEFAULT_EXACT_BELOW = 512;
    private static final String NO_SVD = "no SVD can factor a matrix holding them";

    private final Path base;
    private final Path tuned;
    private RankRule rankRule = RankRule.fixed(16);
    private FactorSplit split = FactorSplit.SQRT;
    private ModuleSelection selection = ModuleSelection.defaults();
    private boolean exact;
    private int exactBelow = DEFAULT_EXACT_BELOW;
    private double pruneEnergy;
    private DType dtype;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private RandomizedSvdOptions sketch = RandomizedSvdOptions.rank(1);
    private boolean overwrite;
    private String baseModelName;
    private LoraProgress progress = LoraProgress.NONE;
    private LinearAlgebra la;

    private Extraction(Path base, Path tuned) {
        this.base = Objects.requireNonNull(base, "base");
        this.tuned = Objects.requireNonNull(tuned, "tuned");
    }

    /** An extraction of {@code tuned − base} (files, indexes or folders of the same architecture). */
    public static Extraction of(Path base, Path tuned) {
        return new Extraction(base, tuned);
    }

    /** Keep rank {@code r} in every module (default 16). */
    public Extraction rank(int r) {
        this.rankRule = RankRule.fixed(r);
        return this;
    }

    /** Keep, per module, the smallest rank holding {@code fraction} of the delta's energy, at most {@code maxRank}. */
    public Extraction energy(double fraction, int maxRank) {
        this.rankRule = RankRule.energy(fraction, maxRank);
        return this;
    }

    public Extraction rankRule(RankRule rule) {
        this.rankRule = Objects.requireNonNull(rule, "rule");
        return this;
    }

    /** Where the singular values go (default {@link FactorSplit#SQRT}). */
    public Extraction split(FactorSplit value) {
        this.split = Objects.requireNonNull(value, "value");
        return this;
    }

    /** Which tensors become factors, which are saved whole (default {@link ModuleSelection#defaults()}). */
    public Extraction selection(ModuleSelection value) {
        this.selection = Objects.requireNonNull(value, "value");
        return this;
    }

    /** Exact SVD ({@code sgesdd}) for every module (default: only small ones). */
    public Extraction exact(boolean value) {
        this.exact = value;
        return this;
    }

    /** Factor exactly the modules with {@code min(out, in) ≤ dim} (default {@value #DEFAULT_EXACT_BELOW}). */
    public Extraction exactBelow(int dim) {
        this.exactBelow = dim;
        return this;
    }

    /**
     * Leave out modules whose delta is negligible: {@code ‖ΔW‖²_F ≤ threshold·‖W_base‖²_F} (default 0: only
     * unchanged modules, which are always left out).
     */
    public Extraction pruneEnergy(double threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("prune threshold must be at least 0, not " + threshold);
        }
        this.pruneEnergy = threshold;
        return this;
    }

    /** Dtype of the factors and biases (default: the tuned model's dtype of each tensor). */
    public Extraction dtype(DType value) {
        this.dtype = value;
        return this;
    }

    /**
     * Modules factored at once (default: half the cores, chosen when each GEMM was multi-threaded itself; each now
     * runs on one BLAS thread unless {@code -Dgraft.blas.threads=N}).
     */
    public Extraction threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + n);
        }
        this.threads = n;
        return this;
    }

    /** Oversampling, power iterations and seed of the randomized SVD (the rank is ignored; defaults 10, 2, 0). */
    public Extraction sketch(RandomizedSvdOptions options) {
        this.sketch = Objects.requireNonNull(options, "options");
        return this;
    }

    /** Replace an existing adapter folder (default: refuse). */
    public Extraction overwrite(boolean value) {
        this.overwrite = value;
        return this;
    }

    /**
     * {@code base_model_name_or_path} of the adapter config (default: the base's {@code config.json}
     * {@code _name_or_path} when it is a Hub id, else the base's absolute path; {@link BaseModelName#of}).
     */
    public Extraction baseModelName(String name) {
        this.baseModelName = name;
        return this;
    }

    public Extraction progress(LoraProgress listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The linear-algebra backend (default {@link LinearAlgebra#get()}). */
    public Extraction backend(LinearAlgebra backend) {
        this.la = Objects.requireNonNull(backend, "backend");
        return this;
    }

    /**
     * Extracts and writes the adapter folder.
     *
     * @throws dev.graft.formats.model.ModelFormatException when the models' tensors or shapes differ
     *                                                      or nothing changed between them
     */
    public ExtractionReport write(Path target) {
        long start = System.nanoTime();
        LinearAlgebra backend = la == null ? LinearAlgebra.get() : la;
        try (ModelSource b = ModelSource.open(base); ModelSource t = ModelSource.open(tuned)) {
            ModuleSelection.Selection sel = selection.select(b, t);
            List<ModuleReport> reports = Collections.synchronizedList(new ArrayList<>());
            try (AdapterOutput out = AdapterOutput.create(target, overwrite, List.of(base, tuned))) {
                long bytes = 0;
                long read = 0;
                for (LoraTarget lt : sel.targets()) {
                    TensorSpec spec = t.spec(lt.tensor()).orElseThrow();
                    bytes += 2 * spec.byteSize();
                    read += 2 * spec.shape().elementCount();
                }
                progress.started(sel.targets().size(), bytes);
                VectorWork.expect(read);
                Parallel.run(threads, "graft-extract", sel.targets(), lt -> {
                    reports.add(extract(backend, b, t, lt, out));
                    progress.itemDone(lt.module(), 2 * t.spec(lt.tensor()).orElseThrow().byteSize());
                });
                reports.sort(Comparator.comparing(ModuleReport::module));
                List<ModuleReport> kept = reports.stream().filter(r -> !r.pruned()).toList();
                for (String bias : sel.biases()) {
                    FiniteScan.requireFinite(b.path(), b.tensor(bias));
                    FiniteScan.requireFinite(t.path(), t.tensor(bias));
                    out.put(LoraKeys.loraBBias(ModuleSelection.moduleOf(bias)), dtypeOf(t, bias),
                            t.spec(bias).orElseThrow().shape(), difference(b, t, bias));
                }
                for (String name : sel.savedTensors()) {
                    FiniteScan.requireFinite(t.path(), t.tensor(name));
                    out.copy(LoraKeys.savedModule(name), t.tensor(name));
                }
                if (out.isEmpty()) {
                    throw new ModelFormatException(tuned, "no tensor differs from the base model " + base
                            + ": there is nothing to extract");
                }
                AdapterConfig config = config(sel, kept, b.config());
                long adapterBytes = 0;
                for (ModuleReport r : kept) {
                    adapterBytes += (long) r.rank() * (r.out() + r.in()) * dtypeOf(t, r.module() + ".weight").byteSize();
                }
                ExtractionReport report = new ExtractionReport(target, base, reports, sel.savedTensors(),
                        sel.biases(), sel.warnings(), adapterBytes, 0);
                Path published = out.commit(config, Map.of(ExtractionReport.FILE_NAME, report.toJson()));
                progress.finished();
                return new ExtractionReport(published, base, reports, sel.savedTensors(), sel.biases(),
                        sel.warnings(), adapterBytes, (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private DType dtypeOf(ModelSource t, String tensor) {
        return dtype != null ? dtype : t.spec(tensor).orElseThrow().dtype();
    }

    /**
     * The adapter's config. {@code task_type} and {@code base_model_name_or_path} follow PEFT's conventions so that
     * {@code AutoPeftModelForCausalLM.from_pretrained(adapter)} (and the other tasks' classes) can load the base:
     * without a task type and an {@code auto_mapping}, PEFT's auto classes refuse the folder.
     */
    private AdapterConfig config(ModuleSelection.Selection sel, List<ModuleReport> kept,
                                 Optional<ModelConfig> baseConfig) {
        int r = kept.stream().mapToInt(ModuleReport::rank).max().orElse(1);
        Map<String, Integer> rankPattern = new TreeMap<>();
        Map<String, Double> alphaPattern = new TreeMap<>();
        for (ModuleReport m : kept) {
            if (m.rank() != r) {
                rankPattern.put(m.module(), m.rank());
                alphaPattern.put(m.module(), (double) m.rank());
            }
        }
        List<String> targetNames = ModuleSelection.targetNames(kept.stream().map(ModuleReport::module).toList());
        String baseName = baseModelName != null ? baseModelName : BaseModelName.of(base, baseConfig);
        return AdapterConfig.lora(r, r, targetNames, baseName)
                .withTaskType(baseConfig.flatMap(PeftTaskType::of).orElse(null))
                .withRanks(r, r, rankPattern, alphaPattern)
                .withModulesToSave(sel.savedModules())
                .withFlag("fan_in_fan_out", sel.fanInFanOut())
                .withFlag("lora_bias", sel.loraBias());
    }

    /** Factors one module and spills its factors; the report says what was kept. */
    private ModuleReport extract(LinearAlgebra backend, ModelSource b, ModelSource t, LoraTarget lt, AdapterOutput out) {
        TensorSpec spec = t.spec(lt.tensor()).orElseThrow();
        int rows = (int) spec.shape().dim(0);
        int cols = (int) spec.shape().dim(1);
        try (Matrix delta = backend.zeros(rows, cols)) {
            double[] norms = fillDelta(b, t, lt.tensor(), delta.data());
            double d2 = norms[0];
            double w2 = norms[1];
            double relativeDelta = w2 == 0 ? (d2 == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(d2 / w2);
            if (d2 == 0 || d2 <= pruneEnergy * w2) {
                return new ModuleReport(lt.module(), lt.out(), lt.in(), 0, d2 == 0 ? 1 : 0, d2 == 0 ? 0 : 1,
                        Math.sqrt(d2), relativeDelta, false);
            }
            Factorizer.Factors f = factorizer(backend).factor(delta, d2, lt.layout());
            DType type = dtypeOf(t, lt.tensor());
            out.put(lt.keyB(), type, Shape.of(lt.out(), f.rank()), f.b());
            out.put(lt.keyA(), type, Shape.of(f.rank(), lt.in()), f.a());
            return new ModuleReport(lt.module(), lt.out(), lt.in(), f.rank(), f.energy(), f.relativeError(),
                    Math.sqrt(d2), relativeDelta, f.exact());
        }
    }

    private Factorizer factorizer(LinearAlgebra backend) {
        return new Factorizer(backend, rankRule, split, exact, exactBelow, sketch);
    }

    /**
     * Writes {@code tuned − base} into {@code dst} (row-major float32) and returns {@code {‖ΔW‖², ‖W_base‖²}}, both
     * accumulated in double.
     */
    private static double[] fillDelta(ModelSource b, ModelSource t, String name, MemorySegment dst) {
        try (Arena arena = Arena.ofConfined()) {
            Tensor wb = b.tensor(name, arena);
            Tensor wt = t.tensor(name, arena);
            int window = 1 << 16;
            float[] x = new float[window];
            float[] y = new float[window];
            double d2 = 0;
            double w2 = 0;
            long badBase = 0;
            long badTuned = 0;
            long n = wb.elementCount();
            for (long first = 0; first < n; first += window) {
                int len = (int) Math.min(window, n - first);
                wb.readFloats(first, x, 0, len);
                wt.readFloats(first, y, 0, len);
                badBase += FiniteScan.countNonFinite(x, 0, len);
                badTuned += FiniteScan.countNonFinite(y, 0, len);
                for (int i = 0; i < len; i++) {
                    w2 += (double) x[i] * x[i];
                    y[i] -= x[i];
                    d2 += (double) y[i] * y[i];
                }
                MemorySegment.copy(y, 0, dst, Matrix.ELEMENT, first * Float.BYTES, len);
            }
            // Always refused: no SVD factors a matrix with NaN in it (LAPACK rejects it with an argument number).
            if (badTuned > 0) {
                throw NonFiniteValuesException.input(t.path(), name, badTuned, NO_SVD);
            }
            if (badBase > 0) {
                throw NonFiniteValuesException.input(b.path(), name, badBase, NO_SVD);
            }
            return new double[] {d2, w2};
        }
    }

    private static float[] difference(ModelSource b, ModelSource t, String name) {
        float[] x = b.tensor(name).toFloatArray();
        float[] y = t.tensor(name).toFloatArray();
        for (int i = 0; i < y.length; i++) {
            y[i] -= x[i];
        }
        return y;
    }
}
