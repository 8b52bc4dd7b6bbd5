package dev.graft.algorithms;

import dev.graft.core.exec.MergeJob;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.exec.MergeReport;
import dev.graft.core.exec.ProgressListener;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.LinesSetting;
import dev.graft.core.plan.MergeRequest;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.PlannedModel;
import dev.graft.core.plan.RequestBuilder;
import dev.graft.formats.dtype.DType;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The Java API for a merge, for build pipelines: the same merges as {@code graft merge}, with mergekit's parameter
 * names and defaults.
 *
 * <pre>{@code
 * MergeReport report = Merge.ties()
 *         .base(Path.of("models/base"))
 *         .add(Path.of("models/math"), 1.0, 0.2)      // weight, density
 *         .add(Path.of("models/code"), 1.0, 0.3)
 *         .lambda(1.0)
 *         .outDtype(DType.BF16)
 *         .write(Path.of("out/merged"));               // a folder; "x.safetensors" writes one file
 *
 * Merge.slerp().base(a).add(b, Map.of()).t(0.3).write(out);
 * Merge.method("della").base(base).add(ft, Map.of("weight", 1.0, "density", 0.5, "epsilon", 0.1)).write(out);
 * Merge.ties().base(base).add(ft, Path.of("ft-lora"), Map.of("weight", 1.0, "density", 0.5)).write(out); // ft+ft-lora
 * }</pre>
 *
 * <p>{@link #plan()} checks everything (models, shapes, parameters) without merging and returns the per-tensor
 * plan; problems are thrown together as a {@link dev.graft.core.plan.PlanException}.
 */
public final class Merge {
    private final RequestBuilder request;
    private MergeOptions options = MergeOptions.defaults();

    private Merge(String method) {
        this.request = new RequestBuilder(method);
    }

    /** Any registered method by its mergekit name. */
    public static Merge method(String name) {
        return new Merge(name);
    }

    public static Merge linear() {
        return method("linear");
    }

    public static Merge taskArithmetic() {
        return method("task_arithmetic");
    }

    public static Merge ties() {
        return method("ties");
    }

    public static Merge dareLinear() {
        return method("dare_linear");
    }

    public static Merge dareTies() {
        return method("dare_ties");
    }

    public static Merge breadcrumbs() {
        return method("breadcrumbs");
    }

    public static Merge breadcrumbsTies() {
        return method("breadcrumbs_ties");
    }

    public static Merge della() {
        return method("della");
    }

    public static Merge dellaLinear() {
        return method("della_linear");
    }

    public static Merge modelStock() {
        return method("model_stock");
    }

    public static Merge slerp() {
        return method("slerp");
    }

    public static Merge nuslerp() {
        return method("nuslerp");
    }

    public static Merge multislerp() {
        return method("multislerp");
    }

    public static Merge karcher() {
        return method("karcher");
    }

    public static Merge sce() {
        return method("sce");
    }

    public static Merge ram() {
        return method("ram");
    }

    public static Merge ramPlusTl() {
        return method("ramplus_tl");
    }

    public static Merge nearswap() {
        return method("nearswap");
    }

    public static Merge arceeFusion() {
        return method("arcee_fusion");
    }

    /** TSV-M; set {@code fraction} and {@code lambda} with {@link #set} and {@link #lambda}. */
    public static Merge tsv() {
        return method("tsv");
    }

    /** Iso-C; {@link #lambda} scales it. */
    public static Merge isoC() {
        return method("iso_c");
    }

    /** Iso-CTS; set {@code common_fraction} with {@link #set}, and {@link #lambda}. */
    public static Merge isoCts() {
        return method("iso_cts");
    }

    /** WUDI merging; set {@code steps} and {@code lr} with {@link #set}. */
    public static Merge wudi() {
        return method("wudi");
    }

    /** The base model: a {@code .safetensors} file, an index or a folder. */
    public Merge base(Path model) {
        request.base(model.toString(), model);
        return this;
    }

    /**
     * The base model under a name of its own instead of its path (see {@link #add(String, Path, Map)}).
     */
    public Merge base(String name, Path model) {
        request.base(name, model);
        return this;
    }

    /**
     * The base model with a PEFT LoRA adapter folder applied as it is read (mergekit's {@code model+lora}; no merged
     * copy is written), labelled {@code model+adapter}.
     */
    public Merge base(Path model, Path adapter) {
        request.base(adapted(model, adapter));
        return this;
    }

    /** A model with its per-model parameters ({@code weight}, {@code density}, {@code gamma}, {@code epsilon}). */
    public Merge add(Path model, Map<String, ?> parameters) {
        return add(model.toString(), model, parameters);
    }

    /**
     * A model with a PEFT LoRA adapter folder applied as it is read (mergekit's {@code model+lora}: PEFT's scaling,
     * DoRA magnitudes, {@code modules_to_save}), labelled {@code model+adapter}, with its per-model parameters.
     */
    public Merge add(Path model, Path adapter, Map<String, ?> parameters) {
        return add(adapted(model, adapter), parameters);
    }

    private static PlannedModel adapted(Path model, Path adapter) {
        return new PlannedModel(model + "+" + adapter, model, Optional.of(adapter));
    }

    /**
     * A model under a name of its own instead of its path: the name labels it in problems, the recipe and the
     * model card, and keys the random draws of DARE and DELLA, so that the same names, seed and files give the same
     * merge wherever the files lie.
     */
    public Merge add(String name, Path model, Map<String, ?> parameters) {
        return add(new PlannedModel(name, model), parameters);
    }

    private Merge add(PlannedModel model, Map<String, ?> parameters) {
        Map<String, Object> p = new LinkedHashMap<>();
        parameters.forEach((k, v) -> p.put(k, v instanceof Number n ? (Object) n.doubleValue() : v));
        request.model(model, p);
        return this;
    }

    public Merge add(Path model, double weight) {
        return add(model, Map.of("weight", weight));
    }

    public Merge add(Path model, double weight, double density) {
        return add(model, Map.of("weight", weight, "density", density));
    }

    /** A global parameter by name ({@code normalize}, {@code rescale}, {@code filter_wise} …). */
    public Merge set(String name, Object value) {
        request.global(name, value instanceof Number n ? n.doubleValue() : value);
        return this;
    }

    public Merge lambda(double value) {
        return set("lambda", value);
    }

    public Merge t(double value) {
        return set("t", value);
    }

    public Merge normalize(boolean value) {
        return set("normalize", value);
    }

    public Merge rescale(boolean value) {
        return set("rescale", value);
    }

    /** LiNeS: scale block i's merged task vector by {@code alpha + beta·i/(L−1)}. */
    public Merge lines(double alpha, double beta) {
        request.lines(new LinesSetting(OptionalDouble.of(alpha), beta));
        return this;
    }

    /** LiNeS with the paper's multi-task alpha, computed in a first pass. */
    public Merge linesAutoAlpha(double beta) {
        request.lines(new LinesSetting(OptionalDouble.empty(), beta));
        return this;
    }

    public Merge seed(long value) {
        request.seed(value);
        return this;
    }

    /** Round inputs to this dtype when read (mergekit's {@code dtype}); arithmetic stays float32. */
    public Merge dtype(DType value) {
        request.dtype(value);
        return this;
    }

    /** The dtype written (default: {@link #dtype}, else the base model's). */
    public Merge outDtype(DType value) {
        request.outDtype(value);
        return this;
    }

    /**
     * The output vocabulary (mergekit's {@code tokenizer_source}): {@code "base"}, {@code "union"} or a model's name
     * (its path as given to {@link #add}, or the name given with it); the embeddings are rebuilt for it and the
     * merged tokenizer files written.
     */
    public Merge tokenizerSource(String value) {
        request.tokenizerSource(value);
        return this;
    }

    /** Round the embedding rows up to a multiple of this (mergekit's {@code tokenizer.pad_to_multiple_of}). */
    public Merge padToMultipleOf(int value) {
        request.padToMultipleOf(value);
        return this;
    }

    /**
     * The default row of {@code token} is its own row in {@code model} (named as given to {@link #add} or
     * {@link #base}; mergekit's {@code tokenizer.tokens[token].source: model}); with {@code force}, every model takes
     * it. A token the output lacks is added.
     */
    public Merge tokenRow(String token, String model, boolean force) {
        request.tokenRow(token, model, force);
        return this;
    }

    /** The default row of {@code token} is {@code sourceToken}'s row in {@code model} ({@code kind: model_token}). */
    public Merge tokenRow(String token, String model, String sourceToken, boolean force) {
        request.tokenRow(token, model, sourceToken, force);
        return this;
    }

    /** The default row of {@code token} is row {@code sourceId} of {@code model} ({@code kind: model_token}). */
    public Merge tokenRow(String token, String model, int sourceId, boolean force) {
        request.tokenRow(token, model, sourceId, force);
        return this;
    }

    /** The default row of {@code token} is zeros ({@code kind: zero}). */
    public Merge tokenZero(String token, boolean force) {
        request.tokenZero(token, force);
        return this;
    }

    /** The chat template written: {@code auto}, {@code alpaca}, {@code chatml}, {@code llama3}, {@code mistral} or Jinja. */
    public Merge chatTemplate(String value) {
        request.chatTemplate(value);
        return this;
    }

    public Merge threads(int value) {
        options = options.withThreads(value);
        return this;
    }

    /** Replace an existing output. */
    public Merge overwrite(boolean value) {
        options = options.withOverwrite(value);
        return this;
    }

    public Merge progress(ProgressListener value) {
        options = options.withProgress(value);
        return this;
    }

    /** The request as built so far. */
    public MergeRequest request() {
        return request.build();
    }

    /** The recipe ({@code graft run} YAML) equivalent to this merge. */
    public String recipe() {
        return request.yaml();
    }

    /** Checks the merge and returns its plan without merging. */
    public Plan plan() {
        return new MergeJob(MethodRegistry.load(), options).plan(request.build());
    }

    /** Merges into {@code target}: a {@code .safetensors} file, or a Hugging Face folder. */
    public MergeReport write(Path target) {
        return new MergeJob(MethodRegistry.load(), options).run(request.build(), target);
    }
}
