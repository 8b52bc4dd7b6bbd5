package dev.graft.core.plan;

import dev.graft.core.kernel.TensorParameters;
import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.method.ParameterDef;
import dev.graft.formats.dtype.DType;
import dev.graft.core.vocab.EmbeddingRows;
import dev.graft.core.vocab.VocabularyPlan;
import dev.graft.core.vocab.VocabularyPlanner;
import dev.graft.formats.model.Architecture;
import dev.graft.formats.model.EmbeddingTensors;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.NaturalOrder;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a {@link MergeRequest} and its opened models into a {@link Plan}: one task per output tensor with its
 * inputs, read shape, dtypes and every parameter resolved. All problems (unknown method, missing base, a tensor
 * missing or shaped differently in a model, a parameter missing or out of range) are collected and thrown together
 * as one {@link PlanException}, before any math runs. Problems name parameters and options the way the request
 * was written ({@link MergeRequest#vocabulary()}): flags for a command line, keys for a recipe.
 *
 * <p>Tensor problems (a tensor missing from a model, shapes that differ) are listed last, at most ten of them and
 * then a count of the rest: two checkpoints of different architectures differ in every tensor, and hundreds of
 * lines would bury the one that says why. When the models' architecture families differ, a line saying so
 * ({@code base is gpt2-style, models are llama-style …}) comes first.
 */
public final class Planner {
    /** Names under which a model with tied embeddings stores the matrix its missing output head shares. */
    private static final Map<String, List<String>> TIED = Map.of(
            "lm_head.weight", List.of("model.embed_tokens.weight", "transformer.wte.weight", "embed_tokens.weight",
                    "wte.weight", "model.decoder.embed_tokens.weight"));

    /** Tensor problems listed before the rest are only counted. */
    static final int MAX_TENSOR_PROBLEMS = 10;

    private final MethodRegistry methods;

    public Planner(MethodRegistry methods) {
        this.methods = methods;
    }

    /**
     * @param request what to merge
     * @param sources the request's models, opened, in the same order
     * @throws PlanException listing every problem found
     */
    public Plan plan(MergeRequest request, List<ModelSource> sources) {
        Problems problems = new Problems();
        Optional<MergeMethod> found = methods.find(request.method());
        if (found.isEmpty()) {
            problems.add("unknown merge method \"" + request.method() + "\"; known: " + String.join(", ", methods.names()));
            throw problems.exception();
        }
        MergeMethod method = found.get();
        int base = request.baseModel();
        Vocabulary words = request.vocabulary();
        checkModels(method, request, problems);
        Set<String> declared = new TreeSet<>();
        method.globalParameters().forEach(d -> declared.add(d.name()));
        method.modelParameters().forEach(d -> declared.add(d.name()));
        // Only fixed sources (flags, the builder) list given names; a front end's flag or key for a parameter does
        // not depend on the model, so global spelling serves per-model names too.
        Set<String> spelled = new TreeSet<>();
        declared.forEach(d -> spelled.add(words.globalParameter(d)));
        for (String given : request.parameters().givenNames()) {
            if (!declared.contains(given)) {
                problems.add(method.name() + " has no parameter \"" + words.globalParameter(given)
                        + "\" (its parameters: " + String.join(", ", spelled) + ")");
            }
        }
        if (request.lines().isPresent() && !method.taskVector()) {
            problems.add(words.lines() + ": LiNeS scales a merged task vector; method " + method.name() + " has none");
        }
        // No early exit: the tensors are planned too (against the first model when the base is missing), so that
        // parameter and shape problems are reported together with these.
        int reference = base >= 0 ? base : 0;
        ModelSource ref = sources.get(reference);
        int layers = request.routing().map(Routing::outputLayers)
                .orElseGet(() -> Math.max(1, Architecture.of(ref).layers()));
        List<String> warnings = new ArrayList<>();
        // The vocabulary first: its problems come from tokenizer files alone, before any tensor is read.
        List<String> vocabularyProblems = new ArrayList<>();
        Optional<VocabularyPlan> vocabulary = VocabularyPlanner.plan(request.tokenizer(),
                request.models().stream().map(PlannedModel::label).toList(), sources, base, vocabularyProblems,
                warnings);
        vocabularyProblems.forEach(problems::add);
        List<TensorTask> tasks = new ArrayList<>();
        List<TensorRoute> routes;
        try {
            routes = request.routing().map(r -> r.routes(sources)).orElseGet(() -> sameNameRoutes(request, ref, layers));
        } catch (PlanException e) {
            e.problems().forEach(problems::add);
            throw problems.exception();
        }
        Optional<VocabularyPlan> rebuild = vocabulary.filter(VocabularyPlan::changesVocabulary);
        // Without the vocabulary plan it asked for, an embedding would only add a shape problem that repeats these.
        boolean skipEmbeddings = request.tokenizer().source().isPresent() && !vocabularyProblems.isEmpty();
        for (TensorRoute route : routes) {
            if (skipEmbeddings && EmbeddingTensors.isEmbedding(route.output())) {
                continue;
            }
            planTensor(method, request, sources, route, layers, rebuild, problems, warnings).ifPresent(tasks::add);
        }
        if (request.routing().isEmpty()) {
            noteIgnored(request, sources, reference, warnings);
        }
        noteDequantized(request, sources, warnings);
        if (problems.anyTensorProblems()) {
            architectureSummary(request, sources, reference).ifPresent(problems::architectures);
        }
        if (problems.any()) {
            throw problems.exception();
        }
        Optional<ModelConfig> config = ref.config().map(c -> c.withDtype(
                request.outDtype().or(request::dtype).or(c::dtype).orElse(DType.F32)));
        config = rebuild.isPresent() ? config.map(c -> rebuild.get().remap(c))
                : config.map(c -> withVocabulary(c, tasks));
        if (request.routing().isPresent()) {
            config = config.map(c -> c.withLayerCount(layers));
        }
        boolean linesAuto = request.lines().map(l -> l.alpha().isEmpty()).orElse(false);
        return new Plan(method, request.models(), base, tasks, config, reference, request.recipeText(), warnings,
                linesAuto, vocabulary);
    }

    /** The usual routing: every tensor of the reference model, merged from the tensor of that name in every model. */
    private static List<TensorRoute> sameNameRoutes(MergeRequest request, ModelSource ref, int layers) {
        List<Integer> all = new ArrayList<>();
        for (int m = 0; m < request.models().size(); m++) {
            all.add(m);
        }
        List<TensorSpec> specs = new ArrayList<>(ref.tensors());
        specs.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.name(), b.name()));
        List<TensorRoute> routes = new ArrayList<>();
        for (TensorSpec spec : specs) {
            OptionalInt block = Architecture.blockIndex(spec.name());
            double t = block.isPresent() ? (layers <= 1 ? 1 : (double) block.getAsInt() / (layers - 1)) : 0;
            routes.add(new TensorRoute(spec.name(), all, Collections.nCopies(all.size(), spec.name()),
                    request.baseModel(), request.parameters(), t, block.orElse(-1)));
        }
        return routes;
    }

    private static void checkModels(MergeMethod method, MergeRequest request, Problems problems) {
        int n = request.models().size();
        if (method.baseModel() == BaseModel.REQUIRED && request.baseModel() < 0) {
            problems.add(method.name() + " needs a base model; give one with " + request.vocabulary().baseModel());
        }
        if (n < method.minInputs()) {
            problems.add(method.name() + " needs at least " + method.minInputs() + " models including the base, got " + n);
        }
        if (method.exactInputs() > 0 && n != method.exactInputs() && request.routing().isEmpty()) {
            // The same key as planTensor's check, which would otherwise say this again for the first tensor.
            problems.addOnce("exact:" + n, method.name() + " merges exactly " + method.exactInputs()
                    + " models including the base, got " + n);
        }
        int others = n - (request.baseModel() >= 0 ? 1 : 0);
        if (method.exactModels() > 0 && others != method.exactModels() && request.routing().isEmpty()) {
            // The same key as planTensor's check, which would otherwise say this again for the first tensor.
            problems.addOnce("exact-models:" + others, exactModelsProblem(method, others, request.baseModel() >= 0));
        }
    }

    /** A method that merges a fixed number of models besides the base was given another number. */
    private static String exactModelsProblem(MergeMethod method, int others, boolean base) {
        String got = !base ? "" : others < method.exactModels() ? " besides the base (which is not one of them)"
                : " besides the base";
        return method.name() + " merges exactly " + method.exactModels() + " models plus an optional base, got "
                + others + got;
    }

    private Optional<TensorTask> planTensor(MergeMethod method, MergeRequest request, List<ModelSource> sources,
                                            TensorRoute route, int layers, Optional<VocabularyPlan> vocabulary,
                                            Problems problems, List<String> warnings) {
        String name = route.output();
        List<TaskInput> inputs = new ArrayList<>();
        // input tensor name -> the models lacking it: one line per tensor, not one per model
        Map<String, List<String>> missing = new LinkedHashMap<>();
        for (int j = 0; j < route.models().size(); j++) {
            int m = route.models().get(j);
            String inputName = route.inputs().get(j);
            Optional<TensorSpec> spec = sources.get(m).spec(inputName);
            if (spec.isEmpty()) {
                spec = tiedStandIn(sources.get(m), inputName);
                if (spec.isPresent()) {
                    warnings.add(label(request, m) + " has no " + inputName + "; its tied " + spec.get().name()
                            + " is used");
                }
            }
            if (spec.isEmpty()) {
                missing.computeIfAbsent(inputName, k -> new ArrayList<>()).add(label(request, m));
                continue;
            }
            inputs.add(new TaskInput(m, spec.get()));
        }
        missing.forEach((tensor, labels) -> problems.tensor("tensor " + tensor + " is missing from model"
                + (labels.size() == 1 ? " " : "s ") + String.join(", ", labels)));
        if (inputs.size() != route.models().size()) {
            return Optional.empty();
        }
        if (method.exactInputs() > 0 && inputs.size() != method.exactInputs()) {
            // Without slices every tensor has every model, and checkModels has said so once already.
            if (request.routing().isPresent()) {
                problems.addOnce("exact:" + inputs.size(), method.name() + " merges exactly " + method.exactInputs()
                        + " models including the base, got " + inputs.size() + " for " + name);
            }
            return Optional.empty();
        }
        int others = inputs.size() - (route.base() >= 0 ? 1 : 0);
        if (method.exactModels() > 0 && others != method.exactModels()) {
            problems.addOnce("exact-models:" + others, exactModelsProblem(method, others, route.base() >= 0)
                    + " for " + name);
            return Optional.empty();
        }
        Optional<EmbeddingRows> rows = Optional.empty();
        Optional<Shape> readShape;
        if (vocabulary.isPresent() && EmbeddingTensors.isEmbedding(name)
                && inputs.stream().allMatch(in -> in.spec().shape().rank() == 2)) {
            rows = embeddingRows(request, name, inputs, route.base(), vocabulary.get(), problems);
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            readShape = Optional.of(Shape.of(rows.get().rows(), inputs.getFirst().spec().shape().dim(1)));
        } else {
            readShape = readShape(request, name, inputs, problems, warnings);
        }
        if (readShape.isEmpty()) {
            return Optional.empty();
        }
        int refInput = route.base() >= 0 ? route.base() : 0;
        TensorSpec refSpec = inputs.get(refInput).spec();
        DType outDtype = request.outDtype().or(request::dtype).orElse(refSpec.dtype());
        boolean numeric = inputs.stream().allMatch(in -> in.spec().dtype().hasFloatCodec());
        if (!numeric) {
            // Integer buffers, raw-only dtypes: carried over from the reference model unchanged.
            return Optional.of(new TensorTask(new TensorSpec(name, refSpec.dtype(), refSpec.shape()),
                    List.of(inputs.get(refInput)), -1, refSpec.shape(),
                    new TensorParameters(name, List.of(label(request, inputs.get(refInput).model())), List.of(Map.of()),
                            Map.of(), request.seed(), 1), Optional.empty(), true));
        }
        double t = route.t();
        Vocabulary words = request.vocabulary();
        Map<String, Object> global = new LinkedHashMap<>();
        for (ParameterDef def : method.globalParameters()) {
            resolve(def, route.parameters().globalParameter(def.name(), name, t), words.globalParameter(def.name()),
                    name, true, problems).ifPresent(v -> global.put(def.name(), v));
        }
        List<Map<String, Object>> perModel = new ArrayList<>();
        for (int j = 0; j < inputs.size(); j++) {
            int m = inputs.get(j).model();
            boolean isBase = j == route.base();
            Map<String, Object> values = new LinkedHashMap<>();
            for (ParameterDef def : method.modelParameters()) {
                Optional<Object> given = route.parameters().modelParameter(m, def.name(), inputs.get(j).spec().name(), t);
                resolve(def, given, words.modelParameter(m, label(request, m), def.name()), name,
                        def.required() && !isBase, problems).ifPresent(v -> values.put(def.name(), v));
            }
            String bad = isBase ? null : method.checkModelParameters(values);
            if (bad != null) {
                problems.addOnce("check:" + m + ":" + bad, label(request, m) + ": " + bad + " (first at " + name + ")");
            }
            perModel.add(values);
        }
        checkWeightSum(method, request, global, perModel, name, problems);
        String together = method.checkTensorParameters(name, perModel, global, route.base(), words);
        if (together != null) {
            problems.addOnce("together", together);
        }
        // With alpha: auto the scale holds the block term only; the executor adds the measured alpha.
        double linesScale = request.lines().map(l -> l.scale(l.alpha().orElse(0), route.block(), layers)).orElse(1.0);
        TensorSpec out = new TensorSpec(name, outDtype, readShape.get());
        return Optional.of(new TensorTask(out, inputs, route.base(), readShape.get(),
                new TensorParameters(name, inputs.stream().map(in -> label(request, in.model())).toList(), perModel,
                        global, request.seed(), linesScale), request.dtype(), false, rows));
    }

    /**
     * How an embedding-like tensor's inputs are rebuilt for the new vocabulary: their widths must agree, and each
     * must have a row for every id its tokenizer maps (config.json's vocab_size larger than the matrix is refused).
     */
    private static Optional<EmbeddingRows> embeddingRows(MergeRequest request, String name, List<TaskInput> inputs,
                                                         int baseInput, VocabularyPlan vocabulary, Problems problems) {
        long width = inputs.getFirst().spec().shape().dim(1);
        if (inputs.stream().anyMatch(in -> in.spec().shape().dim(1) != width)) {
            StringBuilder sb = new StringBuilder("tensor " + name + " has different embedding widths:");
            inputs.forEach(in -> sb.append(' ').append(label(request, in.model())).append(' ').append(in.spec().shape()));
            problems.tensor(sb.toString());
            return Optional.empty();
        }
        List<String> found = new ArrayList<>();
        Optional<EmbeddingRows> rows = vocabulary.rowsFor(inputs.stream().map(TaskInput::model).toList(), baseInput,
                found);
        found.forEach(p -> problems.addOnce(p, p));
        if (rows.isEmpty()) {
            return rows;
        }
        boolean ok = true;
        for (int j = 0; j < inputs.size(); j++) {
            long stored = inputs.get(j).spec().shape().dim(0);
            int needed = rows.get().maxRowRead(j) + 1;
            if (needed > stored) {
                problems.tensor("tensor " + inputs.get(j).spec().name() + " of " + label(request, inputs.get(j).model())
                        + " has " + stored + " rows, but its tokenizer (ids below config.json's vocab_size) needs "
                        + needed);
                ok = false;
            }
        }
        return ok ? rows : Optional.empty();
    }

    /** The config with {@code vocab_size} lowered to the rows an embedding was cut to, if it was. */
    private static ModelConfig withVocabulary(ModelConfig config, List<TensorTask> tasks) {
        OptionalInt declared = config.vocabSize();
        long rows = Long.MAX_VALUE;
        for (TensorTask t : tasks) {
            if (isEmbedding(t.name()) && t.output().shape().rank() == 2) {
                rows = Math.min(rows, t.output().shape().dim(0));
            }
        }
        if (declared.isEmpty() || rows == Long.MAX_VALUE || rows >= declared.getAsInt()) {
            return config;
        }
        com.fasterxml.jackson.databind.node.ObjectNode json = config.json();
        json.put("vocab_size", rows);
        return ModelConfig.of(json);
    }

    /** A model without an output head of its own that ties it to its input embedding. */
    private static Optional<TensorSpec> tiedStandIn(ModelSource source, String name) {
        List<String> candidates = TIED.get(name);
        if (candidates == null || !source.config().map(ModelConfig::tieWordEmbeddings).orElse(true)) {
            return Optional.empty();
        }
        return candidates.stream().map(source::spec).flatMap(Optional::stream).findFirst();
    }

    /** The shape all inputs are read as: theirs when equal; the common submatrix of 2-D embeddings. */
    private static Optional<Shape> readShape(MergeRequest request, String name, List<TaskInput> inputs,
                                             Problems problems, List<String> warnings) {
        Shape first = inputs.getFirst().spec().shape();
        boolean same = inputs.stream().allMatch(in -> in.spec().shape().equals(first));
        if (same) {
            return Optional.of(first);
        }
        boolean matrices = inputs.stream().allMatch(in -> in.spec().shape().rank() == 2);
        if (matrices && isEmbedding(name)) {
            long rows = inputs.stream().mapToLong(in -> in.spec().shape().dim(0)).min().orElseThrow();
            long cols = inputs.stream().mapToLong(in -> in.spec().shape().dim(1)).min().orElseThrow();
            warnings.add(name + ": shapes differ between models (vocabulary sizes?); merging the common "
                    + rows + "x" + cols + " submatrix");
            return Optional.of(Shape.of(rows, cols));
        }
        StringBuilder sb = new StringBuilder("tensor " + name + " has different shapes:");
        for (TaskInput in : inputs) {
            sb.append(' ').append(label(request, in.model())).append(' ').append(in.spec().shape());
        }
        problems.tensor(sb.toString());
        return Optional.empty();
    }

    private static boolean isEmbedding(String name) {
        return name.contains("embed") || name.contains("lm_head") || name.contains("wte") || name.endsWith("output.weight");
    }

    private static Optional<Object> resolve(ParameterDef def, Optional<Object> given, String where, String tensor,
                                            boolean required, Problems problems) {
        if (given.isEmpty()) {
            if (def.defaultValue().isPresent()) {
                return def.defaultValue();
            }
            if (required) {
                problems.addOnce("missing:" + where, "missing required parameter " + where + " (first needed for " + tensor + ")");
            }
            return Optional.empty();
        }
        Object v = def.coerce(given.get());
        if (v instanceof String s && s.startsWith("!") && def.type() != ParameterDef.Type.STRING) {
            problems.add(where + ": " + s.substring(1));
            return Optional.empty();
        }
        String bad = def.check().apply(v);
        if (bad != null) {
            problems.add(where + " " + bad);
            return Optional.empty();
        }
        return Optional.of(v);
    }

    private static void checkWeightSum(MergeMethod method, MergeRequest request, Map<String, Object> global,
                                       List<Map<String, Object>> perModel, String tensor, Problems problems) {
        if (!"linear".equals(method.name()) || !Boolean.TRUE.equals(global.get("normalize"))) {
            return;
        }
        double sum = 0;
        for (Map<String, Object> m : perModel) {
            Object w = m.get("weight");
            sum += w instanceof Number n ? n.doubleValue() : 0;
        }
        if (sum == 0) {
            problems.addOnce("weight-sum", "weights sum to 0 and normalizing divides by their sum (first at " + tensor
                    + "); use " + request.vocabulary().globalSetting("normalize", false));
        }
    }

    private static void noteIgnored(MergeRequest request, List<ModelSource> sources, int reference, List<String> warnings) {
        for (int m = 0; m < sources.size(); m++) {
            if (m == reference) {
                continue;
            }
            long extra = sources.get(m).tensors().stream().filter(s -> !sources.get(reference).contains(s.name())).count();
            if (extra > 0) {
                warnings.add(label(request, m) + " has " + extra + " tensor(s) that " + label(request, reference)
                        + " lacks; they are not in the output");
            }
        }
    }

    /** Quantized GGUF inputs are merged as ggml dequantizes them: their rounding error is merged with them. */
    private static void noteDequantized(MergeRequest request, List<ModelSource> sources, List<String> warnings) {
        for (int m = 0; m < sources.size(); m++) {
            List<String> q = sources.get(m).dequantized();
            if (!q.isEmpty()) {
                warnings.add(label(request, m) + " has " + q.size() + " quantized tensor(s) (" + q.getFirst()
                        + (q.size() > 1 ? " …" : "") + "), read dequantized: merging them merges their quantization "
                        + "error; merge the float checkpoints where you have them");
            }
        }
    }

    private static String label(MergeRequest request, int model) {
        return request.models().get(model).label();
    }

    /**
     * {@code base is gpt2-style, models are llama-style: 148 tensors are missing or shaped differently}, when the
     * models' architecture families differ; empty when they agree or one is not recognised.
     */
    private static Optional<String> architectureSummary(MergeRequest request, List<ModelSource> sources,
                                                        int reference) {
        String refFamily = Architecture.of(sources.get(reference)).family();
        Map<String, List<String>> others = new LinkedHashMap<>();
        for (int m = 0; m < sources.size(); m++) {
            if (m != reference) {
                others.computeIfAbsent(Architecture.of(sources.get(m)).family(), k -> new ArrayList<>())
                        .add(label(request, m));
            }
        }
        if (refFamily.equals(Architecture.UNKNOWN) || others.containsKey(Architecture.UNKNOWN)
                || others.keySet().stream().allMatch(refFamily::equals)) {
            return Optional.empty();
        }
        boolean isBase = reference == request.baseModel();
        StringBuilder sb = new StringBuilder(isBase ? "base" : label(request, reference)).append(" is ")
                .append(refFamily).append("-style, ");
        if (isBase && others.size() == 1) {
            // The common case reads best without the paths: the tensor lines below name the models.
            int n = others.values().iterator().next().size();
            sb.append(n == 1 ? "the model is " : "models are ").append(others.keySet().iterator().next()).append("-style");
        } else {
            List<String> parts = new ArrayList<>();
            others.forEach((family, labels) -> parts.add(String.join(", ", labels)
                    + (labels.size() == 1 ? " is " : " are ") + family + "-style"));
            sb.append(String.join(", ", parts));
        }
        return Optional.of(sb.toString());
    }

    /**
     * Problems in first-seen order, each once (the same missing parameter would otherwise repeat per tensor), then
     * the tensor problems, capped.
     */
    private static final class Problems {
        private final Set<String> seen = new LinkedHashSet<>();
        private final Set<String> keys = new HashSet<>();
        private final Set<String> tensors = new LinkedHashSet<>();
        private String architectures;

        void add(String problem) {
            seen.add(problem);
        }

        /** Adds a problem unless one with the same key was added (messages that name the first tensor differ). */
        void addOnce(String key, String problem) {
            if (keys.add(key)) {
                seen.add(problem);
            }
        }

        /** A problem with one tensor: listed after the others, and only the first {@code MAX_TENSOR_PROBLEMS}. */
        void tensor(String problem) {
            tensors.add(problem);
        }

        /** The line that explains the tensor problems, listed above them. */
        void architectures(String summary) {
            architectures = summary + ": " + tensors.size() + (tensors.size() == 1 ? " tensor is" : " tensors are")
                    + " missing or shaped differently";
        }

        boolean anyTensorProblems() {
            return !tensors.isEmpty();
        }

        boolean any() {
            return !seen.isEmpty() || !tensors.isEmpty();
        }

        PlanException exception() {
            List<String> all = new ArrayList<>(seen);
            if (architectures != null) {
                all.add(architectures);
            }
            tensors.stream().limit(MAX_TENSOR_PROBLEMS).forEach(all::add);
            if (tensors.size() > MAX_TENSOR_PROBLEMS) {
                all.add("… and " + (tensors.size() - MAX_TENSOR_PROBLEMS) + " more tensors");
            }
            return new PlanException(all, seen.size() + tensors.size());
        }
    }
}
