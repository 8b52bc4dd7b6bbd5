package dev.graft.algorithms.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.graft.core.exec.Parallel;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.lora.AdapterContents;
import dev.graft.formats.lora.AdapterMismatchException;
import dev.graft.formats.lora.FactorLayout;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.peft.AdapterConfig;
import dev.graft.formats.peft.AdapterFormatException;
import dev.graft.formats.peft.LoraKeys;
import dev.graft.formats.peft.LoraModule;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.RandomizedSvdOptions;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Combines LoRA adapters into one, with the semantics of PEFT's {@code add_weighted_adapter}
 * ({@link CombinationMethod}), negative weights included (negation, Zhang et al. 2023, "Composing
 * Parameter-Efficient Modules with Arithmetic Operations"). Where PEFT is known to be wrong, Graft is not:
 * <ul>
 *   <li>the SVD kinds weight each delta {@code sᵢ·Bᵢ·Aᵢ} by {@code wᵢ} once (PEFT multiplies by {@code sᵢ} again,
 *       fixed by peft#3111);</li>
 *   <li>the result has {@code lora_alpha = r} and {@code use_rslora = false}, so its scaling is 1 (PEFT copies
 *       {@code use_rslora} from the first adapter, scaling the result by {@code √r}, peft#3449);</li>
 *   <li>{@code lora_B} biases combine as the deltas do, {@code Σ wᵢ·sᵢ·bᵢ} (PEFT leaves them out, peft#3761);
 *       DoRA adapters are refused rather than combined without their magnitudes.</li>
 * </ul>
 * A module missing from some adapters takes contributions from those that have it. {@code modules_to_save}
 * weights are whole weights: they combine against the base model, {@code S = W + Σᵢ wᵢ·(Sᵢ − W)}, the
 * {@link #base} given or else the one the adapters record (Graft's extractions do); without one they are refused,
 * or left out with {@link #dropModulesToSave}. (PEFT's {@code add_weighted_adapter} refuses modules_to_save that
 * two adapters share and gives the new adapter the base's module otherwise.)
 *
 * <pre>{@code
 * LoraComposition.of(CombinationMethod.CAT)
 *         .adapter(Path.of("math-lora"), 1.0)
 *         .adapter(Path.of("toxic-lora"), -1.0)      // negation
 *         .write(Path.of("math-minus-toxic"));
 * }</pre>
 */
public final class LoraComposition {
    private final CombinationMethod method;
    private final List<Path> adapters = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private int rank;
    private double density = 1;
    private DeltaCombiner.MajoritySign majority = DeltaCombiner.MajoritySign.TOTAL;
    private long seed;
    private FactorSplit split = FactorSplit.B;
    private boolean exact;
    private DType dtype;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private boolean overwrite;
    private boolean dropModulesToSave;
    private Path base;
    private LoraProgress progress = LoraProgress.NONE;
    private LinearAlgebra la;

    private LoraComposition(CombinationMethod method) {
        this.method = Objects.requireNonNull(method, "method");
    }

    public static LoraComposition of(CombinationMethod method) {
        return new LoraComposition(method);
    }

    /** Adds an adapter folder with weight {@code weight} (negative to subtract it). */
    public LoraComposition adapter(Path dir, double weight) {
        adapters.add(Objects.requireNonNull(dir, "dir"));
        weights.add(weight);
        return this;
    }

    /** Rank of the SVD kinds (default: the largest input rank, as PEFT's {@code svd_rank=None}). */
    public LoraComposition rank(int r) {
        if (r < 1) {
            throw new IllegalArgumentException("rank must be at least 1, not " + r);
        }
        this.rank = r;
        return this;
    }

    /** Fraction of each delta kept by the pruning kinds (default 1: none pruned). */
    public LoraComposition density(double value) {
        this.density = value;
        return this;
    }

    /** TIES sign election by {@code Σ Dᵢ} (default) or, with {@code frequency}, by {@code Σ sign(Dᵢ)}. */
    public LoraComposition frequencySign(boolean value) {
        this.majority = value ? DeltaCombiner.MajoritySign.FREQUENCY : DeltaCombiner.MajoritySign.TOTAL;
        return this;
    }

    /** Seed of DARE's random pruning (default 0). */
    public LoraComposition seed(long value) {
        this.seed = value;
        return this;
    }

    /** Where the SVD kinds put the singular values (default {@link FactorSplit#B}, PEFT's {@code B = U·S}). */
    public LoraComposition split(FactorSplit value) {
        this.split = Objects.requireNonNull(value, "value");
        return this;
    }

    /** Exact SVD for every module (default: randomized above {@value Extraction#DEFAULT_EXACT_BELOW}). */
    public LoraComposition exact(boolean value) {
        this.exact = value;
        return this;
    }

    /** Dtype of the result (default: each module's {@code lora_A} dtype in the first adapter having it). */
    public LoraComposition dtype(DType value) {
        this.dtype = value;
        return this;
    }

    public LoraComposition threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + n);
        }
        this.threads = n;
        return this;
    }

    /**
     * Leave the inputs' {@code modules_to_save} weights out of the result (they are whole weights, which cannot be
     * weighted without the base model; by default they are combined against it, or refused when it is unknown).
     */
    public LoraComposition dropModulesToSave(boolean value) {
        this.dropModulesToSave = value;
        return this;
    }

    /**
     * The base model the adapters were made for: with it, {@code modules_to_save} weights combine as the deltas do,
     * {@code S = W + Σᵢ wᵢ·(Sᵢ − W)} (an adapter without the tensor contributes nothing), so applying the result
     * equals applying the inputs with their weights. Without it, the base the adapters having such weights record
     * is used: {@code base_model_path} of {@code graft_extraction.json}, else an absolute
     * {@code base_model_name_or_path}.
     */
    public LoraComposition base(Path model) {
        this.base = Objects.requireNonNull(model, "model");
        return this;
    }

    public LoraComposition overwrite(boolean value) {
        this.overwrite = value;
        return this;
    }

    public LoraComposition progress(LoraProgress listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    public LoraComposition backend(LinearAlgebra backend) {
        this.la = Objects.requireNonNull(backend, "backend");
        return this;
    }

    /**
     * What a composition wrote.
     *
     * @param output       the adapter folder
     * @param modules      per module: the rank written and, for the SVD kinds, the energy of the combined delta kept
     * @param savedTensors the {@code modules_to_save} tensors written (base model tensor names)
     * @param savedBase    the base model they were combined against (given, or recorded by the adapters); empty
     *                     when there were none
     * @param seconds      wall time
     */
    public record CompositionReport(Path output, List<ModuleReport> modules, List<String> savedTensors,
                                    Optional<Path> savedBase, double seconds) {
        public CompositionReport {
            modules = List.copyOf(modules);
            savedTensors = List.copyOf(savedTensors);
            Objects.requireNonNull(savedBase, "savedBase");
        }
    }

    /** One module as the inputs have it. */
    private record Inputs(String module, List<LoraModule> parts, List<Integer> adapterIndex, Tensor[] biases,
                          boolean embedding) {
    }

    /**
     * Combines and writes the adapter folder.
     *
     * @throws AdapterMismatchException when adapters disagree on a module's shape or kind, or on
     *                                  {@code fan_in_fan_out}; when they have {@code modules_to_save} weights and
     *                                  no base model is given or recorded, or they record different ones
     */
    public CompositionReport write(Path target) {
        if (adapters.isEmpty()) {
            throw new IllegalStateException("no adapter to combine");
        }
        long start = System.nanoTime();
        LinearAlgebra backend = la == null ? LinearAlgebra.get() : la;
        List<AdapterContents> opened = new ArrayList<>();
        try {
            for (Path a : adapters) {
                opened.add(AdapterContents.open(a));
                if (opened.getLast().adapter().config().useDora()) {
                    throw new AdapterFormatException(a.resolve(AdapterConfig.FILE_NAME), "use_dora is true; Graft "
                            + "combines plain LoRA adapters only (DoRA's magnitudes rescale each adapted weight, "
                            + "which does not combine linearly); apply it with 'graft lora apply' or merge it as "
                            + "MODEL+ADAPTER");
                }
            }
            List<Inputs> modules = gather(opened);
            // resolved before any work, so that a missing base fails at once
            Optional<Path> savedBase = dropModulesToSave ? Optional.empty() : savedBase(opened);
            List<ModuleReport> reports = Collections.synchronizedList(new ArrayList<>());
            try (AdapterOutput out = AdapterOutput.create(target, overwrite, adapters)) {
                progress.started(modules.size(), 0);
                Parallel.run(threads, "graft-lora-combine", modules, in -> {
                    reports.add(combine(backend, in, out));
                    progress.itemDone(in.module(), 0);
                });
                reports.sort(Comparator.comparing(ModuleReport::module));
                List<String> saved = savedBase.isPresent() ? combineSaved(opened, out, savedBase.get()) : List.of();
                Path published = out.commit(config(opened, reports, !saved.isEmpty()), Map.of());
                progress.finished();
                return new CompositionReport(published, reports, saved, savedBase,
                        (System.nanoTime() - start) / 1e9);
            }
        } finally {
            opened.forEach(AdapterContents::close);
        }
    }

    private List<Inputs> gather(List<AdapterContents> opened) {
        boolean fanInFanOut = opened.getFirst().adapter().config().fanInFanOut();
        Map<String, Inputs> byModule = new TreeMap<>();
        for (int i = 0; i < opened.size(); i++) {
            AdapterContents a = opened.get(i);
            if (a.adapter().config().fanInFanOut() != fanInFanOut) {
                throw new AdapterMismatchException(a.path().resolve(AdapterConfig.FILE_NAME), "fan_in_fan_out is "
                        + !fanInFanOut + " but " + fanInFanOut + " in " + opened.getFirst().path()
                        + "; adapters of different layouts cannot be combined");
            }
            for (LoraModule m : a.modules().values()) {
                Inputs in = byModule.computeIfAbsent(m.module(), k -> new Inputs(k, new ArrayList<>(),
                        new ArrayList<>(), new Tensor[opened.size()], m.embedding()));
                if (!in.parts().isEmpty()) {
                    LoraModule first = in.parts().getFirst();
                    if (first.embedding() != m.embedding() || first.a().shape().dim(1) != m.a().shape().dim(1)
                            || first.b().shape().dim(0) != m.b().shape().dim(0)) {
                        throw new AdapterMismatchException(a.weightsFile(), "module \"" + m.module() + "\" is a "
                                + describe(m) + " here but a " + describe(first) + " in "
                                + opened.get(in.adapterIndex().getFirst()).path());
                    }
                    if (method == CombinationMethod.LINEAR && first.rank() != m.rank()) {
                        throw new AdapterMismatchException(a.weightsFile(), "module \"" + m.module() + "\" has rank "
                                + m.rank() + " here but " + first.rank() + " in "
                                + opened.get(in.adapterIndex().getFirst()).path()
                                + "; linear needs equal ranks (use cat, exact, or svd)");
                    }
                }
                in.parts().add(m);
                in.adapterIndex().add(i);
                in.biases()[i] = a.biases().get(m.module());
            }
        }
        return List.copyOf(byModule.values());
    }

    private static String describe(LoraModule m) {
        return (m.embedding() ? "embedding" : "linear") + " of [" + m.b().shape().dim(0) + ", " + m.a().shape().dim(1)
                + "]";
    }

    private ModuleReport combine(LinearAlgebra backend, Inputs in, AdapterOutput out) {
        LoraModule first = in.parts().getFirst();
        int outDim = (int) first.b().shape().dim(0);
        int inDim = (int) first.a().shape().dim(1);
        DType type = dtype != null ? dtype : first.a().dtype();
        String keyA = in.embedding() ? LoraKeys.embeddingA(in.module()) : LoraKeys.loraA(in.module());
        String keyB = in.embedding() ? LoraKeys.embeddingB(in.module()) : LoraKeys.loraB(in.module());
        writeBias(in, out, type, outDim);
        return switch (method) {
            case CAT -> cat(in, out, keyA, keyB, type, outDim, inDim);
            case LINEAR -> linear(in, out, keyA, keyB, type, outDim, inDim);
            default -> svd(backend, in, out, keyA, keyB, type, outDim, inDim);
        };
    }

    private double weightOf(Inputs in, int part) {
        return weights.get(in.adapterIndex().get(part)) * in.parts().get(part).scaling();
    }

    private ModuleReport cat(Inputs in, AdapterOutput out, String keyA, String keyB, DType type, int outDim, int inDim) {
        int r = in.parts().stream().mapToInt(LoraModule::rank).sum();
        float[] a = new float[r * inDim];
        float[] b = new float[outDim * r];
        int row = 0;
        for (int p = 0; p < in.parts().size(); p++) {
            LoraModule m = in.parts().get(p);
            float ws = (float) weightOf(in, p);
            float[] ap = m.a().toFloatArray();
            float[] bp = m.b().toFloatArray();
            for (int i = 0; i < ap.length; i++) {
                a[row * inDim + i] = ws * ap[i];
            }
            for (int o = 0; o < outDim; o++) {
                System.arraycopy(bp, o * m.rank(), b, o * r + row, m.rank());
            }
            row += m.rank();
        }
        out.put(keyA, type, Shape.of(r, inDim), a);
        out.put(keyB, type, Shape.of(outDim, r), b);
        return new ModuleReport(in.module(), outDim, inDim, r, 1, 0, 0, 0, true);
    }

    private ModuleReport linear(Inputs in, AdapterOutput out, String keyA, String keyB, DType type, int outDim,
                                int inDim) {
        int r = in.parts().getFirst().rank();
        float[] a = new float[r * inDim];
        float[] b = new float[outDim * r];
        for (int p = 0; p < in.parts().size(); p++) {
            double ws = weightOf(in, p);
            float root = (float) Math.sqrt(Math.abs(ws));
            float signed = (float) Math.signum(ws) * root;
            accumulate(a, in.parts().get(p).a().toFloatArray(), signed);
            accumulate(b, in.parts().get(p).b().toFloatArray(), root);
        }
        out.put(keyA, type, Shape.of(r, inDim), a);
        out.put(keyB, type, Shape.of(outDim, r), b);
        return new ModuleReport(in.module(), outDim, inDim, r, 1, 0, 0, 0, true);
    }

    private static void accumulate(float[] dst, float[] src, float f) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] += f * src[i];
        }
    }

    private ModuleReport svd(LinearAlgebra backend, Inputs in, AdapterOutput out, String keyA, String keyB, DType type,
                             int outDim, int inDim) {
        int n = in.parts().size();
        float[][] deltas = new float[n][];
        double[] w = new double[n];
        int[] index = new int[n];
        int maxRank = 0;
        for (int p = 0; p < n; p++) {
            LoraModule m = in.parts().get(p);
            maxRank = Math.max(maxRank, m.rank());
            try (Matrix bm = backend.of(m.b().toFloatArray(), outDim, m.rank());
                 Matrix am = backend.of(m.a().toFloatArray(), m.rank(), inDim);
                 Matrix d = backend.multiply(bm, false, am, false)) {
                deltas[p] = d.toArray();
            }
            float s = (float) m.scaling();
            for (int e = 0; e < deltas[p].length; e++) {
                deltas[p][e] *= s;
            }
            w[p] = weights.get(in.adapterIndex().get(p));
            index[p] = in.adapterIndex().get(p);
        }
        float[] combined = new DeltaCombiner(method, density, majority, seed).combine(in.module(), deltas, w, index);
        double total = 0;
        for (float x : combined) {
            total += (double) x * x;
        }
        if (total == 0) {
            return new ModuleReport(in.module(), outDim, inDim, 0, 1, 0, 0, 0, true);
        }
        int r = rank > 0 ? rank : maxRank;
        Factorizer f = new Factorizer(backend, RankRule.fixed(r), split, exact, Extraction.DEFAULT_EXACT_BELOW,
                RandomizedSvdOptions.rank(1).withSeed(seed));
        try (Matrix d = backend.zeros(outDim, inDim)) {
            MemorySegment.copy(combined, 0, d.data(), Matrix.ELEMENT, 0, combined.length);
            Factorizer.Factors factors = f.factor(d, total, FactorLayout.LINEAR);
            out.put(keyA, type, Shape.of(factors.rank(), inDim), factors.a());
            out.put(keyB, type, Shape.of(outDim, factors.rank()), factors.b());
            return new ModuleReport(in.module(), outDim, inDim, factors.rank(), factors.energy(),
                    factors.relativeError(), Math.sqrt(total), 0, factors.exact());
        }
    }

    /**
     * The base model {@code modules_to_save} weights combine against: the one given, else the one every adapter
     * having such weights records; empty when no adapter has them.
     *
     * @throws AdapterMismatchException when an adapter with such weights records no base that exists here, or two
     *                                  record different ones
     */
    private Optional<Path> savedBase(List<AdapterContents> opened) {
        List<AdapterContents> holders = opened.stream().filter(a -> !a.saved().isEmpty()).toList();
        if (holders.isEmpty()) {
            return Optional.empty();
        }
        if (base != null) {
            return Optional.of(base);
        }
        Path found = null;
        AdapterContents foundIn = null;
        for (AdapterContents a : holders) {
            Optional<Path> local = RecordedBase.of(a.adapter());
            if (local.isEmpty() || !Files.exists(local.get())) {
                String why = local.map(p -> "its base model " + p + " does not exist")
                        .orElseGet(() -> "it names no base model on this machine (base_model_name_or_path "
                                + a.adapter().config().baseModel().map(n -> "\"" + n + "\"").orElse("null") + ")");
                throw new AdapterMismatchException(a.weightsFile(), "saves " + savedModulesOf(a) + " whole "
                        + "(modules_to_save), which combines only against the base model, and " + why + "; give "
                        + "the base with --base MODEL, leave the modules out with --drop-modules-to-save, or merge "
                        + "the adapters into the base with 'graft lora apply'");
            }
            if (found == null) {
                found = local.get();
                foundIn = a;
            } else if (!sameFile(found, local.get())) {
                throw new AdapterMismatchException(a.weightsFile(), "was made from the base model " + local.get()
                        + " but " + foundIn.path() + " from " + found + "; modules_to_save weights combine against "
                        + "one base: give it with --base MODEL, or leave them out with --drop-modules-to-save");
            }
        }
        return Optional.of(found);
    }

    /** {@code module "lm_head" (and 6 more)}: the modules an adapter saves whole, for messages. */
    private static String savedModulesOf(AdapterContents a) {
        Set<String> modules = new TreeSet<>();
        a.saved().keySet().forEach(t -> modules.add(ModuleSelection.moduleOf(t)));
        String first = "module \"" + modules.iterator().next() + "\"";
        return modules.size() == 1 ? first : first + " (and " + (modules.size() - 1) + " more)";
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /** {@code W + Σ wᵢ·(Sᵢ − W)} for every tensor some adapter saves whole; the tensors written. */
    private List<String> combineSaved(List<AdapterContents> opened, AdapterOutput out, Path basePath) {
        Map<String, List<Integer>> holders = new TreeMap<>();
        for (int i = 0; i < opened.size(); i++) {
            for (String name : opened.get(i).saved().keySet()) {
                holders.computeIfAbsent(name, k -> new ArrayList<>()).add(i);
            }
        }
        try (ModelSource model = ModelSource.open(basePath)) {
            for (Map.Entry<String, List<Integer>> e : holders.entrySet()) {
                AdapterContents firstHolder = opened.get(e.getValue().getFirst());
                Tensor w = model.spec(e.getKey()).map(s -> model.tensor(e.getKey())).orElseThrow(() ->
                        new AdapterMismatchException(firstHolder.weightsFile(), "saves \"" + e.getKey()
                                + "\", which the base model " + model.path() + " does not have"));
                float[] result = w.toFloatArray();
                float[] baseValues = result.clone();
                for (int i : e.getValue()) {
                    Tensor t = opened.get(i).saved().get(e.getKey());
                    if (!t.shape().equals(w.shape())) {
                        throw new AdapterMismatchException(opened.get(i).weightsFile(), "modules_to_save tensor \""
                                + t.name() + "\" is " + t.shape() + " but \"" + e.getKey() + "\" of " + model.path()
                                + " is " + w.shape());
                    }
                    float[] v = t.toFloatArray();
                    float wi = (float) (double) weights.get(i);
                    for (int k = 0; k < v.length; k++) {
                        result[k] += wi * (v[k] - baseValues[k]);
                    }
                }
                Tensor first = firstHolder.saved().get(e.getKey());
                out.put(LoraKeys.savedModule(e.getKey()), dtype != null ? dtype : first.dtype(), first.shape(), result);
            }
        }
        return List.copyOf(holders.keySet());
    }

    private void writeBias(Inputs in, AdapterOutput out, DType type, int outDim) {
        boolean any = false;
        float[] sum = new float[outDim];
        for (int p = 0; p < in.parts().size(); p++) {
            Tensor bias = in.biases()[in.adapterIndex().get(p)];
            if (bias != null) {
                accumulate(sum, bias.toFloatArray(), (float) weightOf(in, p));
                any = true;
            }
        }
        if (any) {
            out.put(LoraKeys.loraBBias(in.module()), type, Shape.of(outDim), sum);
        }
    }

    private static Set<String> savedModules(List<AdapterContents> opened) {
        Set<String> modules = new TreeSet<>();
        opened.forEach(a -> modules.addAll(a.adapter().config().modulesToSave()));
        return modules;
    }

    /**
     * The first adapter's config with PEFT's replacements ({@code r}, {@code lora_alpha = r}, the union of
     * {@code target_modules}) and Graft's fixes (rank and alpha patterns for modules of other ranks, no rsLoRA).
     */
    private AdapterConfig config(List<AdapterContents> opened, List<ModuleReport> reports, boolean saved) {
        List<ModuleReport> written = reports.stream().filter(m -> m.rank() > 0).toList();
        int r = written.stream().mapToInt(ModuleReport::rank).max().orElse(1);
        Map<String, Integer> rankPattern = new TreeMap<>();
        Map<String, Double> alphaPattern = new TreeMap<>();
        for (ModuleReport m : written) {
            if (m.rank() != r) {
                rankPattern.put(m.module(), m.rank());
                alphaPattern.put(m.module(), (double) m.rank());
            }
        }
        AdapterConfig config = opened.getFirst().adapter().config().withRanks(r, r, rankPattern, alphaPattern)
                .withModulesToSave(saved ? savedModules(opened) : List.of())
                .withFlag("use_rslora", false)
                .withFlag("lora_bias", opened.stream().anyMatch(a -> !a.biases().isEmpty()));
        JsonNode targets = config.json().get("target_modules");
        if (targets != null && targets.isTextual()) {
            Set<String> patterns = new LinkedHashSet<>();
            for (AdapterContents a : opened) {
                JsonNode t = a.adapter().config().json().get("target_modules");
                if (t == null || !t.isTextual()) {
                    throw new AdapterMismatchException(a.path().resolve(AdapterConfig.FILE_NAME), "target_modules is "
                            + "a list here but a regex in " + opened.getFirst().path() + "; they cannot be joined");
                }
                patterns.add("(" + t.textValue() + ")");
            }
            return config.with("target_modules", TextNode.valueOf(String.join("|", patterns)));
        }
        Set<String> union = new TreeSet<>();
        for (AdapterContents a : opened) {
            JsonNode t = a.adapter().config().json().get("target_modules");
            if (t != null && t.isTextual()) {
                throw new AdapterMismatchException(a.path().resolve(AdapterConfig.FILE_NAME), "target_modules is a "
                        + "regex here but a list in " + opened.getFirst().path() + "; they cannot be joined");
            }
            union.addAll(a.adapter().config().targetModules());
        }
        return config.withTargetModules(union);
    }
}
