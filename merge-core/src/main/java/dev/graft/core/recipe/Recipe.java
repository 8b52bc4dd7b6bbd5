package dev.graft.core.recipe;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.FileAccessException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * A parsed merge recipe in mergekit's YAML format ({@code mergekit/config.py}), plus Graft's {@code lines} and
 * {@code seed} keys. Immutable.
 *
 * <p>A recipe either lists whole {@link #models()} or output {@link #slices()}, never both. A {@code models:}
 * recipe stays in that form here because its layer count is only known once the models are open;
 * {@link #outputSlices(ToIntFunction)} then turns it into the single slice mergekit would plan. Parameters are
 * resolved per tensor through {@link #resolver(OutputSlice)}.
 *
 * <pre>{@code
 * Recipe r = Recipe.load(Path.of("ties.yml"));
 * List<OutputSlice> slices = r.outputSlices(model -> layersOf(model));
 * ParameterResolver p = r.resolver(slices.getFirst());
 * double density = p.perModel("density", ft1, "model.layers.3.mlp.up_proj.weight", t)
 *                   .map(ParameterValue::asDouble).orElse(1.0);
 * }</pre>
 */
public final class Recipe {
    /** {@code tokenizer_source: union}: the union of all input vocabularies. */
    public static final String TOKENIZER_UNION = "union";
    /** {@code tokenizer_source: base}: the base model's vocabulary. */
    public static final String TOKENIZER_BASE = "base";
    /** Every top-level key a recipe may have. */
    public static final List<String> KEYS = RecipeReader.TOP_LEVEL_KEYS;

    private final Path source;
    private final String sourceText;
    private final String mergeMethod;
    private final Optional<ModelRef> baseModel;
    private final Optional<List<InputModel>> models;
    private final Optional<List<OutputSlice>> slices;
    private final Parameters parameters;
    private final Optional<DType> dtype;
    private final Optional<DType> outDtype;
    private final Optional<String> tokenizerSource;
    private final java.util.Map<String, TokenEmbedding> tokenizerTokens;
    private final OptionalInt padToMultipleOf;
    private final Optional<LinesConfig> lines;
    private final java.util.OptionalLong outShardSize;
    private final Optional<String> name;
    private final Optional<Long> seed;
    private final Optional<String> chatTemplate;

    /** One argument per recipe key; only {@link RecipeReader} calls it. */
    Recipe(Path source, String sourceText, String mergeMethod, Optional<ModelRef> baseModel,
           Optional<List<InputModel>> models, Optional<List<OutputSlice>> slices, Parameters parameters,
           Optional<DType> dtype, Optional<DType> outDtype, Optional<String> tokenizerSource,
           java.util.Map<String, TokenEmbedding> tokenizerTokens, OptionalInt padToMultipleOf, Optional<LinesConfig> lines, Optional<Long> seed,
           Optional<String> chatTemplate, java.util.OptionalLong outShardSize, Optional<String> name) {
        if (models.isPresent() == slices.isPresent()) {
            throw new IllegalArgumentException("a recipe has either models or slices");
        }
        this.source = Objects.requireNonNull(source, "source");
        this.sourceText = sourceText;
        this.mergeMethod = mergeMethod;
        this.baseModel = baseModel;
        this.models = models.map(List::copyOf);
        this.slices = slices.map(List::copyOf);
        this.parameters = parameters;
        this.dtype = dtype;
        this.outDtype = outDtype;
        this.tokenizerSource = tokenizerSource;
        this.tokenizerTokens = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tokenizerTokens));
        this.padToMultipleOf = padToMultipleOf;
        this.lines = lines;
        this.seed = seed;
        this.chatTemplate = chatTemplate;
        this.outShardSize = outShardSize;
        this.name = name;
    }

    /**
     * Parses recipe YAML.
     *
     * @param yaml            the recipe text
     * @param sourceForErrors the file it came from; every error message starts with it
     * @throws RecipeException listing every problem found
     */
    public static Recipe parse(String yaml, Path sourceForErrors) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(sourceForErrors, "sourceForErrors");
        return RecipeReader.read(yaml, sourceForErrors);
    }

    /**
     * Parses recipe YAML to run with {@code methods}: besides the format, checks that every parameter name is one
     * the method declares and that the recipe uses no feature Graft cannot run yet, so that one exception lists all
     * of these problems together (what {@link RecipeRequests#toRequest} would refuse one step later).
     *
     * @throws RecipeException listing every problem found
     */
    public static Recipe parse(String yaml, Path sourceForErrors, dev.graft.core.method.MethodRegistry methods) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(sourceForErrors, "sourceForErrors");
        Objects.requireNonNull(methods, "methods");
        return RecipeReader.read(yaml, sourceForErrors, methods);
    }

    /**
     * Reads and parses a recipe file (UTF-8).
     *
     * @throws FileAccessException when the file cannot be read
     * @throws RecipeException     when it is not valid UTF-8 or not a valid recipe
     */
    public static Recipe load(Path file) {
        return parse(read(file), file);
    }

    /**
     * Reads a recipe file to run with {@code methods}, checked as {@link #parse(String, Path,
     * dev.graft.core.method.MethodRegistry)} checks it: what {@code graft run} calls.
     *
     * @throws FileAccessException when the file cannot be read
     * @throws RecipeException     when it is not valid UTF-8, not a valid recipe, or not one these methods can run
     */
    public static Recipe load(Path file, dev.graft.core.method.MethodRegistry methods) {
        return parse(read(file), file, methods);
    }

    private static String read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new RecipeException(file, "not UTF-8 text; save the recipe as UTF-8", e);
        } catch (IOException e) {
            throw new FileAccessException(file, "cannot read the recipe", e);
        }
        return text;
    }

    /** The file the recipe was read from (or named for errors). */
    public Path source() {
        return source;
    }

    /** The recipe exactly as written, for embedding in the output model card. */
    public String sourceText() {
        return sourceText;
    }

    /** {@code merge_method}, as written ({@code ties}, {@code slerp} …). */
    public String mergeMethod() {
        return mergeMethod;
    }

    /** The top-level {@code base_model}; a slice may override it ({@link OutputSlice#baseModel()}). */
    public Optional<ModelRef> baseModel() {
        return baseModel;
    }

    /** The {@code models:} entries in recipe order; empty for a {@code slices:} recipe. */
    public Optional<List<InputModel>> models() {
        return models;
    }

    /** The {@code slices:} entries in recipe order; empty for a {@code models:} recipe. */
    public Optional<List<OutputSlice>> slices() {
        return slices;
    }

    /** True for a {@code slices:} recipe. */
    public boolean isSliced() {
        return slices.isPresent();
    }

    /** The top-level {@code parameters:} block. */
    public Parameters parameters() {
        return parameters;
    }

    /** {@code dtype}: the dtype inputs are read and computed in. */
    public Optional<DType> dtype() {
        return dtype;
    }

    /** {@code out_dtype}: the dtype written; without it, mergekit writes the compute dtype. */
    public Optional<DType> outDtype() {
        return outDtype;
    }

    /**
     * Where the output tokenizer comes from: {@value #TOKENIZER_UNION}, {@value #TOKENIZER_BASE} or a model (its
     * canonical string). Read from {@code tokenizer_source}, or from {@code tokenizer.source}, which defaults to
     * {@value #TOKENIZER_UNION} when a {@code tokenizer:} block is present. Empty: no tokenizer merging.
     */
    public Optional<String> tokenizerSource() {
        return tokenizerSource;
    }

    /** {@code tokenizer.tokens}: per-token embedding sources by token, in recipe order; empty when absent. */
    public java.util.Map<String, TokenEmbedding> tokenizerTokens() {
        return tokenizerTokens;
    }

    /** {@code tokenizer.pad_to_multiple_of}: round the merged vocabulary up to a multiple of this. */
    public OptionalInt padToMultipleOf() {
        return padToMultipleOf;
    }

    /** Graft's {@code lines:} LiNeS scaling. */
    public Optional<LinesConfig> lines() {
        return lines;
    }

    /**
     * mergekit's {@code out_shard_size}, in bytes: the shard limit of a folder output unless the caller sets one
     * ({@code --shard-size} on the command line).
     */
    public java.util.OptionalLong outShardSize() {
        return outShardSize;
    }

    /**
     * mergekit-multimerge's {@code name}: in a recipe of several documents ({@link RecipeSet}), what later documents
     * write as a model to use this one's merge.
     */
    public Optional<String> name() {
        return name;
    }

    /** Graft's {@code seed:} for the random sparsifiers (DARE, DELLA). */
    public Optional<Long> seed() {
        return seed;
    }

    /**
     * {@code chat_template}, as written: {@code auto}, a bundled template's name or Jinja source (see
     * {@link dev.graft.core.vocab.ChatTemplateChoice}); written into the output's {@code tokenizer_config.json}.
     */
    public Optional<String> chatTemplate() {
        return chatTemplate;
    }

    /**
     * The models the recipe names as inputs, each once, in recipe order: the {@code models:} entries, or the
     * sources of every slice in order of first appearance. The base model is not added.
     */
    public List<ModelRef> listedModels() {
        if (models.isPresent()) {
            return models.get().stream().map(InputModel::model).toList();
        }
        Set<ModelRef> seen = new LinkedHashSet<>();
        slices.orElseThrow().forEach(s -> seen.addAll(s.models()));
        return List.copyOf(seen);
    }

    /**
     * The models whose tensors are read. For a {@code models:} recipe: the listed models, then the base model if
     * it is not listed (mergekit appends it as an extra input, without parameters). For a {@code slices:} recipe:
     * the listed models; mergekit does not add the base there, so a base that a method needs must be a source.
     */
    public List<ModelRef> inputs() {
        List<ModelRef> out = new ArrayList<>(listedModels());
        if (models.isPresent() && baseModel.isPresent() && !out.contains(baseModel.get())) {
            out.add(baseModel.get());
        }
        return List.copyOf(out);
    }

    /**
     * The output slices to plan, as mergekit's {@code normalize_config} makes them. A {@code slices:} recipe's
     * slices are returned as they are. A {@code models:} recipe becomes one slice whose sources are the models
     * in order, each over all its blocks {@code [0, layerCount(model))} with its parameters, then the base model
     * if it is not listed (with no parameters).
     *
     * <p>Block tensors of slice {@code s} take {@link GradientT#forLayer} of their index within it; tensors before
     * the blocks (embeddings) are planned with the first slice, those after them (final norm, {@code lm_head})
     * with the last, both at {@link GradientT#OUTSIDE_BLOCKS}, as mergekit does.
     *
     * @param layerCount the number of blocks of a model (not called for a {@code slices:} recipe)
     * @throws RecipeException when the models of a {@code models:} recipe differ in layer count
     */
    public List<OutputSlice> outputSlices(ToIntFunction<ModelRef> layerCount) {
        if (slices.isPresent()) {
            return slices.get();
        }
        List<InputSlice> sources = new ArrayList<>();
        for (ModelRef m : inputs()) {
            Parameters p = models.get().stream().filter(im -> im.model().equals(m)).findFirst()
                    .map(InputModel::parameters).orElse(Parameters.empty("base_model"));
            sources.add(new InputSlice(m, new LayerRange(0, layerCount.applyAsInt(m)), p));
        }
        InputSlice first = sources.getFirst();
        for (InputSlice s : sources) {
            if (s.layerRange().length() != first.layerRange().length()) {
                throw new RecipeException(source, "models: all inputs must have the same number of layers to be "
                        + "merged block by block; " + first.model() + " has " + first.layerRange().length() + ", "
                        + s.model() + " has " + s.layerRange().length());
            }
        }
        return List.of(new OutputSlice(sources, Optional.empty(), Parameters.empty("models")));
    }

    /**
     * Merges as this recipe says, into {@code target} (a {@code .safetensors} file or a folder), with the methods on
     * the class path, default options, and relative model paths resolved against the working directory.
     *
     * <pre>{@code
     * MergeReport r = Recipe.load(Path.of("ties.yml")).run(Path.of("out/merged"));
     * }</pre>
     */
    public dev.graft.core.exec.MergeReport run(Path target) {
        dev.graft.core.exec.MergeOptions options = dev.graft.core.exec.MergeOptions.defaults();
        return run(target, outShardSize.isPresent() ? options.withMaxShardBytes(outShardSize.getAsLong()) : options);
    }

    /**
     * Merges with the given options (threads, overwrite, shard size, progress); their shard size wins over the
     * recipe's {@code out_shard_size}, as {@code --shard-size} does.
     */
    public dev.graft.core.exec.MergeReport run(Path target, dev.graft.core.exec.MergeOptions options) {
        return run(target, options, Path.of("").toAbsolutePath());
    }

    /** Merges with relative model paths resolved against {@code workingDir} instead of the process's. */
    public dev.graft.core.exec.MergeReport run(Path target, dev.graft.core.exec.MergeOptions options, Path workingDir) {
        dev.graft.core.method.MethodRegistry methods = dev.graft.core.method.MethodRegistry.load();
        return new dev.graft.core.exec.MergeJob(methods, options)
                .run(RecipeRequests.toRequest(this, methods, workingDir), target);
    }

    /** Checks the recipe against its models and returns the plan, without merging. */
    public dev.graft.core.plan.Plan plan(dev.graft.core.exec.MergeOptions options) {
        return plan(options, Path.of("").toAbsolutePath());
    }

    /** {@link #plan(dev.graft.core.exec.MergeOptions)} with relative model paths resolved against {@code workingDir}. */
    public dev.graft.core.plan.Plan plan(dev.graft.core.exec.MergeOptions options, Path workingDir) {
        dev.graft.core.method.MethodRegistry methods = dev.graft.core.method.MethodRegistry.load();
        return new dev.graft.core.exec.MergeJob(methods, options)
                .plan(RecipeRequests.toRequest(this, methods, workingDir));
    }

    /** Resolves parameters for tensors of {@code slice}, one of {@link #outputSlices}. */
    public ParameterResolver resolver(OutputSlice slice) {
        return new ParameterResolver(this, slice);
    }

    /**
     * Every {@code parameters:} block in the recipe, top level first, so that a planner can report parameter
     * names its method does not declare ({@link Parameters#location()} says where each block is).
     */
    public List<Parameters> parameterBlocks() {
        List<Parameters> out = new ArrayList<>();
        out.add(parameters);
        models.ifPresent(ms -> ms.forEach(m -> out.add(m.parameters())));
        slices.ifPresent(ss -> ss.forEach(s -> {
            out.add(s.parameters());
            s.sources().forEach(src -> out.add(src.parameters()));
        }));
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "Recipe[" + source + ": " + mergeMethod + ", " + (isSliced() ? slices.get().size() + " slices"
                : models.get().size() + " models") + "]";
    }
}
