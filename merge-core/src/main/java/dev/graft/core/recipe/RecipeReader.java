package dev.graft.core.recipe;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.graft.core.method.MethodRegistry;
import dev.graft.formats.dtype.DType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Turns recipe YAML into a {@link Recipe}, checking it against mergekit's configuration schema
 * ({@code mergekit/config.py}) plus Graft's {@code lines} and {@code seed}, and collecting every problem.
 *
 * <p>Stricter than mergekit in three ways, each to keep a mistake from passing silently: unknown keys (mergekit
 * ignores them, so {@code merge_metod} would be dropped), duplicate keys, and a model listed twice in
 * {@code models:} or in one slice (mergekit keys inputs by model, so the second entry would be lost).
 */
final class RecipeReader {
    /** mergekit's {@code MergeConfiguration} fields, then Graft's extensions. */
    static final List<String> TOP_LEVEL_KEYS = List.of("merge_method", "base_model", "models", "slices", "modules",
            "parameters", "dtype", "out_dtype", "tokenizer_source", "tokenizer", "chat_template", "out_shard_size", "name", "lines", "seed");
    private static final List<String> MODEL_KEYS = List.of("model", "parameters");
    private static final List<String> SLICE_KEYS = List.of("sources", "base_model", "residual_weight", "parameters");
    private static final List<String> SOURCE_KEYS = List.of("model", "layer_range", "parameters");
    private static final List<String> TOKENIZER_KEYS = List.of("source", "tokens", "pad_to_multiple_of");
    private static final List<String> LINES_KEYS = List.of("alpha", "beta");
    private static final String EXACTLY_ONE = "Exactly one of 'models', 'slices', or 'modules' must be present";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path file;
    private final Optional<MethodRegistry> methods;
    private final Problems problems;
    private final FieldReader fields;
    private final SettingReader settings;

    private RecipeReader(Path file, Optional<MethodRegistry> methods) {
        this.file = file;
        this.methods = methods;
        this.problems = new Problems(file);
        this.fields = new FieldReader(problems);
        this.settings = new SettingReader(fields);
    }

    static Recipe read(String yaml, Path file) {
        return new RecipeReader(file, Optional.empty()).read(yaml);
    }

    /**
     * Reads a recipe to run with {@code methods}: the {@link RecipeChecks} run too, on whatever parts of the recipe
     * could be read, and their problems join the format's.
     */
    static Recipe read(String yaml, Path file, MethodRegistry methods) {
        return new RecipeReader(file, Optional.of(methods)).read(yaml);
    }

    private Recipe read(String yaml) {
        JsonNode root = parseYaml(yaml);
        fields.checkKeys(root, "", TOP_LEVEL_KEYS);

        Optional<String> method = fields.string(root.get("merge_method"), "merge_method");
        if (FieldReader.absent(root.get("merge_method"))) {
            problems.add("merge_method", "missing; name the merge method (linear, ties, slerp …)");
        } else if (method.isPresent() && method.get().isBlank()) {
            problems.add("merge_method", "empty; name the merge method (linear, ties, slerp …)");
        }
        Optional<ModelRef> base = fields.modelRef(root.get("base_model"), "base_model");
        Optional<List<InputModel>> models = Optional.empty();
        Optional<List<OutputSlice>> slices = Optional.empty();
        if (checkLayout(root)) {
            if (present(root.get("models"))) {
                models = Optional.of(models(root.get("models")));
            } else {
                slices = Optional.of(slices(root.get("slices")));
            }
        }
        Parameters parameters = settings.parameters(root.get("parameters"), "parameters");
        Optional<DType> dtype = fields.floatDType(root.get("dtype"), "dtype");
        Optional<DType> outDtype = fields.floatDType(root.get("out_dtype"), "out_dtype");
        Tokenizer tokenizer = tokenizer(root);
        Optional<String> chatTemplate = fields.string(root.get("chat_template"), "chat_template");
        Optional<LinesConfig> lines = lines(root.get("lines"));
        OptionalLong seed = fields.integer(root.get("seed"), "seed");
        OptionalLong shardSize = ShardSizeSetting.read(root.get("out_shard_size"), problems);
        Optional<String> name = fields.string(root.get("name"), "name");
        if (name.isPresent() && name.get().isBlank()) {
            problems.add("name", "empty; a document's name is how later documents refer to its merge");
            name = Optional.empty();
        }
        if (methods.isPresent()) {
            runChecks(methods.get(), method, base, models, slices, parameters, tokenizer, chatTemplate);
        }

        problems.throwIfAny();
        return new Recipe(file, yaml, method.orElseThrow(), base, models, slices, parameters, dtype, outDtype,
                tokenizer.source(), tokenizer.tokens(), tokenizer.padToMultipleOf(), lines,
                seed.isPresent() ? Optional.of(seed.getAsLong()) : Optional.empty(), chatTemplate, shardSize, name);
    }

    /** The checks {@link RecipeRequests} would make, on the parts read (a part with problems is left out). */
    private void runChecks(MethodRegistry registry, Optional<String> method, Optional<ModelRef> base,
                           Optional<List<InputModel>> models, Optional<List<OutputSlice>> slices,
                           Parameters parameters, Tokenizer tokenizer, Optional<String> chatTemplate) {
        List<ModelRef> refs = new ArrayList<>();
        List<Parameters> blocks = new ArrayList<>(List.of(parameters));
        models.ifPresent(ms -> ms.forEach(m -> {
            refs.add(m.model());
            blocks.add(m.parameters());
        }));
        slices.ifPresent(ss -> ss.forEach(s -> {
            blocks.add(s.parameters());
            s.sources().forEach(src -> {
                if (!refs.contains(src.model())) {
                    refs.add(src.model());
                }
                blocks.add(src.parameters());
            });
        }));
        base.ifPresent(refs::add);
        List<String> found = new ArrayList<>(RecipeChecks.unsupported(refs, tokenizer.source(), tokenizer.tokens(),
                chatTemplate));
        method.flatMap(registry::find).ifPresent(m -> found.addAll(RecipeChecks.unknownParameters(m, blocks)));
        found.forEach(p -> problems.add("", p));
    }

    private JsonNode parseYaml(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        // Not readValues: it would take a top-level list for a stream of documents.
        try (JsonParser parser = YAML.createParser(yaml)) {
            while (parser.nextToken() != null) {
                documents.add(YAML.readTree(parser));
            }
        } catch (JsonProcessingException e) {
            throw new RecipeException(file, syntaxError(e), e);
        } catch (IOException e) {
            // reading from a String: only malformed input can fail
            throw new RecipeException(file, "cannot read the YAML: " + e.getMessage(), e);
        }
        if (documents.isEmpty() || FieldReader.absent(documents.getFirst())) {
            throw new RecipeException(file, "the recipe is empty; it needs at least merge_method and models: or "
                    + "slices:");
        }
        if (documents.size() > 1) {
            throw new RecipeException(file, "holds " + documents.size() + " YAML documents (separated by ---); "
                    + "write one recipe per file (mergekit-multi files are not supported)");
        }
        JsonNode root = documents.getFirst();
        if (!root.isObject()) {
            throw new RecipeException(file, "expected a map of recipe keys (merge_method, models …), got "
                    + YamlText.of(root));
        }
        return root;
    }

    /** {@code line L, column C: <the parser's complaint>}, without the parser's echo of the source. */
    private static String syntaxError(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        String problem = original.lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)) && !l.startsWith("in '"))
                .collect(Collectors.joining("; "));
        if (problem.startsWith("Duplicate field ")) {
            problem = "duplicate key " + problem.substring("Duplicate field ".length());
        }
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0 ? "" : "line " + at.getLineNr() + ", column "
                + at.getColumnNr() + ": ";
        return where + "invalid YAML: " + problem;
    }

    /** mergekit's truth test: a key written empty ({@code models: []}) counts as absent. */
    private static boolean present(JsonNode node) {
        return !FieldReader.absent(node) && !(node.isContainerNode() && node.isEmpty());
    }

    /** True when the recipe has exactly one of {@code models:} and {@code slices:}. */
    private boolean checkLayout(JsonNode root) {
        if (present(root.get("modules"))) {
            problems.add("modules", "multi-module recipes are not supported yet; write a models: or slices: recipe");
            return false;
        }
        boolean models = present(root.get("models"));
        boolean slices = present(root.get("slices"));
        if (models && slices) {
            problems.add("", EXACTLY_ONE + "; this recipe has both 'models' and 'slices'");
            return false;
        }
        if (!models && !slices) {
            String empty = root.has("models") || root.has("slices") ? " (an empty list counts as none)" : "";
            problems.add("", EXACTLY_ONE + "; this recipe has none of them" + empty);
            return false;
        }
        return true;
    }

    private List<InputModel> models(JsonNode node) {
        List<InputModel> out = new ArrayList<>();
        if (!node.isArray()) {
            problems.add("models", "expected a list of {model, parameters} entries, got " + YamlText.of(node));
            return out;
        }
        Map<ModelRef, String> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String where = "models[" + i + "]";
            JsonNode entry = node.get(i);
            if (!fields.expectMap(entry, where, "a map with 'model' and optional 'parameters'")) {
                continue;
            }
            fields.checkKeys(entry, where, MODEL_KEYS);
            Optional<ModelRef> model = requiredModel(entry, where);
            Parameters parameters = settings.parameters(entry.get("parameters"), where + ".parameters");
            if (model.isPresent() && unique(model.get(), where + ".model", seen)) {
                out.add(new InputModel(model.get(), parameters));
            }
        }
        return out;
    }

    private List<OutputSlice> slices(JsonNode node) {
        List<OutputSlice> out = new ArrayList<>();
        if (!node.isArray()) {
            problems.add("slices", "expected a list of {sources, parameters} entries, got " + YamlText.of(node));
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            slice(node.get(i), "slices[" + i + "]").ifPresent(out::add);
        }
        return out;
    }

    private Optional<OutputSlice> slice(JsonNode node, String where) {
        if (!fields.expectMap(node, where, "a map with 'sources' and optional 'base_model', 'parameters'")) {
            return Optional.empty();
        }
        int before = problems.size();
        fields.checkKeys(node, where, SLICE_KEYS);
        Optional<ModelRef> base = fields.modelRef(node.get("base_model"), where + ".base_model");
        // parsed for compatibility and otherwise ignored, as mergekit ignores it
        fields.number(node.get("residual_weight"), where + ".residual_weight");
        Parameters parameters = settings.parameters(node.get("parameters"), where + ".parameters");

        JsonNode sourcesNode = node.get("sources");
        List<InputSlice> sources = new ArrayList<>();
        if (FieldReader.absent(sourcesNode)) {
            problems.add(where, "missing 'sources'; list the models this slice takes layers from");
        } else if (!sourcesNode.isArray()) {
            problems.add(where + ".sources", "expected a list of {model, layer_range} entries, got "
                    + YamlText.of(sourcesNode));
        } else if (sourcesNode.isEmpty()) {
            problems.add(where + ".sources", "needs at least one source");
        } else {
            Map<ModelRef, String> seen = new HashMap<>();
            for (int j = 0; j < sourcesNode.size(); j++) {
                source(sourcesNode.get(j), where + ".sources[" + j + "]", seen).ifPresent(sources::add);
            }
            sameLength(sources, where);
        }
        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new OutputSlice(sources, base, parameters));
    }

    private Optional<InputSlice> source(JsonNode node, String where, Map<ModelRef, String> seen) {
        if (!fields.expectMap(node, where, "a map with 'model', 'layer_range' and optional 'parameters'")) {
            return Optional.empty();
        }
        fields.checkKeys(node, where, SOURCE_KEYS);
        Optional<ModelRef> model = requiredModel(node, where);
        Optional<LayerRange> range = layerRange(node.get("layer_range"), where + ".layer_range");
        Parameters parameters = settings.parameters(node.get("parameters"), where + ".parameters");
        if (model.isEmpty() || range.isEmpty() || !unique(model.get(), where + ".model", seen)) {
            return Optional.empty();
        }
        return Optional.of(new InputSlice(model.get(), range.get(), parameters));
    }

    private Optional<LayerRange> layerRange(JsonNode node, String where) {
        if (FieldReader.absent(node)) {
            problems.add(where, "missing; give the blocks to take as [start, end] (end excluded)");
            return Optional.empty();
        }
        if (!node.isArray() || node.size() != 2) {
            problems.add(where, "expected [start, end], got " + YamlText.of(node));
            return Optional.empty();
        }
        OptionalLong start = fields.integer(node.get(0), where + "[0]");
        OptionalLong end = fields.integer(node.get(1), where + "[1]");
        if (start.isEmpty() || end.isEmpty()) {
            return Optional.empty();
        }
        long s = start.getAsLong();
        long e = end.getAsLong();
        if (s < 0 || e > Integer.MAX_VALUE) {
            problems.add(where, "layer indices must be between 0 and " + Integer.MAX_VALUE + ", got "
                    + YamlText.of(node));
            return Optional.empty();
        }
        if (e <= s) {
            problems.add(where, "end must be greater than start (the range [start, end] excludes end), got "
                    + YamlText.of(node));
            return Optional.empty();
        }
        return Optional.of(new LayerRange((int) s, (int) e));
    }

    /** mergekit: "All inputs to a slice must contain the same number of layers". */
    private void sameLength(List<InputSlice> sources, String where) {
        if (sources.isEmpty()) {
            return;
        }
        InputSlice first = sources.getFirst();
        for (int j = 1; j < sources.size(); j++) {
            InputSlice s = sources.get(j);
            if (s.layerRange().length() != first.layerRange().length()) {
                problems.add(where + ".sources", "all sources of a slice must have the same number of layers; "
                        + first.model() + " has " + first.layerRange().length() + " " + first.layerRange() + ", "
                        + s.model() + " has " + s.layerRange().length() + " " + s.layerRange());
                return;
            }
        }
    }

    private Optional<ModelRef> requiredModel(JsonNode entry, String where) {
        if (FieldReader.absent(entry.get("model"))) {
            problems.add(where, "missing 'model'");
            return Optional.empty();
        }
        return fields.modelRef(entry.get("model"), where + ".model");
    }

    /** Records a problem when {@code model} was already listed; {@code seen} maps models to where. */
    private boolean unique(ModelRef model, String where, Map<ModelRef, String> seen) {
        String earlier = seen.putIfAbsent(model, where);
        if (earlier != null) {
            problems.add(where, model + " is already listed at " + earlier + "; list each model once");
            return false;
        }
        return true;
    }

    /** The effective tokenizer source: {@code tokenizer_source}, or {@code tokenizer.source} ("union" default). */
    private Tokenizer tokenizer(JsonNode root) {
        JsonNode legacy = root.get("tokenizer_source");
        JsonNode block = root.get("tokenizer");
        if (!FieldReader.absent(legacy) && !FieldReader.absent(block)) {
            problems.add("", "Cannot specify both tokenizer_source and tokenizer; keep one");
            return Tokenizer.NONE;
        }
        if (!FieldReader.absent(legacy)) {
            return new Tokenizer(tokenizerSource(legacy, "tokenizer_source"), Map.of(), OptionalInt.empty());
        }
        if (FieldReader.absent(block) || !fields.expectMap(block, "tokenizer",
                "a map with 'source', 'tokens' and 'pad_to_multiple_of'")) {
            return Tokenizer.NONE;
        }
        fields.checkKeys(block, "tokenizer", TOKENIZER_KEYS);
        Map<String, TokenEmbedding> tokens = tokens(block.get("tokens"));
        Optional<String> source = FieldReader.absent(block.get("source")) ? Optional.of(Recipe.TOKENIZER_UNION)
                : tokenizerSource(block.get("source"), "tokenizer.source");
        OptionalLong pad = fields.integer(block.get("pad_to_multiple_of"), "tokenizer.pad_to_multiple_of");
        OptionalInt padInt = OptionalInt.empty();
        if (pad.isPresent()) {
            if (pad.getAsLong() < 1 || pad.getAsLong() > Integer.MAX_VALUE) {
                problems.add("tokenizer.pad_to_multiple_of", "expected a positive whole number, got "
                        + pad.getAsLong());
            } else {
                padInt = OptionalInt.of((int) pad.getAsLong());
            }
        }
        return new Tokenizer(source, tokens, padInt);
    }

    /** {@code tokenizer.tokens}: token → {@code {source, force}}, in recipe order. */
    private Map<String, TokenEmbedding> tokens(JsonNode node) {
        Map<String, TokenEmbedding> out = new java.util.LinkedHashMap<>();
        if (FieldReader.absent(node) || !fields.expectMap(node, "tokenizer.tokens", "a map of token to {source, force}")) {
            return out;
        }
        for (var e : node.properties()) {
            String where = "tokenizer.tokens[\"" + e.getKey() + "\"]";
            JsonNode entry = e.getValue();
            if (!fields.expectMap(entry, where, "a map with 'source' and optional 'force'")) {
                continue;
            }
            fields.checkKeys(entry, where, List.of("source", "force"));
            boolean force = false;
            JsonNode f = entry.get("force");
            if (!FieldReader.absent(f)) {
                if (f.isBoolean()) {
                    force = f.booleanValue();
                } else {
                    problems.add(where + ".force", "expected true or false, got " + YamlText.of(f));
                }
            }
            JsonNode src = entry.get("source");
            if (FieldReader.absent(src)) {
                problems.add(where, "missing 'source': a model, {kind: model_token, …} or {kind: zero}");
                continue;
            }
            tokenSource(src, where + ".source", force).ifPresent(t -> out.put(e.getKey(), t));
        }
        return out;
    }

    private Optional<TokenEmbedding> tokenSource(JsonNode src, String where, boolean force) {
        JsonNode kind = src.isObject() ? src.get("kind") : null;
        if (FieldReader.absent(kind)) {
            return fields.modelRef(src, where).map(m -> new TokenEmbedding(TokenEmbedding.Kind.MODEL, Optional.of(m),
                    OptionalInt.empty(), Optional.empty(), force));
        }
        if ("zero".equals(kind.asText())) {
            fields.checkKeys(src, where, List.of("kind"));
            return Optional.of(new TokenEmbedding(TokenEmbedding.Kind.ZERO, Optional.empty(), OptionalInt.empty(),
                    Optional.empty(), force));
        }
        if (!"model_token".equals(kind.asText())) {
            problems.add(where + ".kind", "expected model_token or zero, got " + YamlText.of(kind));
            return Optional.empty();
        }
        fields.checkKeys(src, where, List.of("kind", "model", "token_id", "token"));
        Optional<ModelRef> model = fields.modelRef(src.get("model"), where + ".model");
        if (FieldReader.absent(src.get("model"))) {
            problems.add(where, "missing 'model'");
        }
        OptionalLong id = fields.integer(src.get("token_id"), where + ".token_id");
        Optional<String> token = fields.string(src.get("token"), where + ".token");
        boolean hasId = !FieldReader.absent(src.get("token_id"));
        boolean hasToken = !FieldReader.absent(src.get("token"));
        if (hasId == hasToken) {
            problems.add(where, hasId ? "only one of token_id or token may be specified"
                    : "token_id or token must be specified");
            return Optional.empty();
        }
        if (model.isEmpty() || (hasId && id.isEmpty()) || (hasToken && token.isEmpty())) {
            return Optional.empty();
        }
        if (hasId && (id.getAsLong() < 0 || id.getAsLong() > Integer.MAX_VALUE)) {
            problems.add(where + ".token_id", "expected a token id (0 or more), got " + id.getAsLong());
            return Optional.empty();
        }
        return Optional.of(new TokenEmbedding(TokenEmbedding.Kind.MODEL_TOKEN, model,
                hasId ? OptionalInt.of((int) id.getAsLong()) : OptionalInt.empty(), token, force));
    }

    /** {@code union}, {@code base}, or a model reference (validated, kept as written). */
    private Optional<String> tokenizerSource(JsonNode node, String where) {
        if (node.isObject()) {
            return fields.modelRef(node, where).map(ModelRef::toString);
        }
        Optional<String> source = fields.string(node, where);
        if (source.isEmpty() || source.get().equals(Recipe.TOKENIZER_UNION)
                || source.get().equals(Recipe.TOKENIZER_BASE)) {
            return source;
        }
        return fields.modelRef(node, where).map(ModelRef::toString);
    }

    private record Tokenizer(Optional<String> source, Map<String, TokenEmbedding> tokens, OptionalInt padToMultipleOf) {
        static final Tokenizer NONE = new Tokenizer(Optional.empty(), Map.of(), OptionalInt.empty());
    }

    private Optional<LinesConfig> lines(JsonNode node) {
        if (FieldReader.absent(node) || !fields.expectMap(node, "lines", "a map with 'alpha' and optional 'beta'")) {
            return Optional.empty();
        }
        int before = problems.size();
        fields.checkKeys(node, "lines", LINES_KEYS);
        JsonNode alphaNode = node.get("alpha");
        OptionalDouble alpha = OptionalDouble.empty();
        if (FieldReader.absent(alphaNode)) {
            problems.add("lines.alpha", "missing; give a number or \"" + LinesConfig.AUTO + "\"");
        } else if (alphaNode.isNumber() && !Double.isFinite(alphaNode.doubleValue())) {
            problems.add("lines.alpha", "must be a finite number, got " + YamlText.of(alphaNode));
        } else if (alphaNode.isNumber()) {
            alpha = OptionalDouble.of(alphaNode.doubleValue());
        } else if (!(alphaNode.isTextual() && alphaNode.textValue().equals(LinesConfig.AUTO))) {
            problems.add("lines.alpha", "expected a number or \"" + LinesConfig.AUTO + "\", got "
                    + YamlText.of(alphaNode));
        }
        double beta = fields.number(node.get("beta"), "lines.beta").orElse(0.0);
        return problems.size() == before ? Optional.of(new LinesConfig(alpha, beta)) : Optional.empty();
    }
}
