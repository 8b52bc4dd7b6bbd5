package dev.graft.core.plan;

import dev.graft.core.vocab.TokenSetting;
import dev.graft.core.vocab.TokenSource;
import dev.graft.core.vocab.TokenizerRequest;
import dev.graft.core.vocab.TokenizerSource;
import dev.graft.formats.dtype.DType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalDouble;

/**
 * Builds a {@link MergeRequest} from fixed values (command-line flags, the Java builder) and writes the equivalent
 * mergekit-style recipe, so a merged model's card says how to make it again with {@code graft run}.
 */
public final class RequestBuilder {
    private final String method;
    private PlannedModel base;
    private final List<PlannedModel> listed = new ArrayList<>();
    private final List<Map<String, Object>> params = new ArrayList<>();
    private final Map<String, Object> global = new LinkedHashMap<>();
    private DType dtype;
    private DType outDtype;
    private LinesSetting lines;
    private long seed;
    private Vocabulary vocabulary = Vocabulary.NAMES;
    private String tokenizerSource;
    private OptionalInt padToMultipleOf = OptionalInt.empty();
    private String chatTemplate;
    private final Map<String, TokenRow> tokenRows = new LinkedHashMap<>();

    /** A per-token row as the builder was given it, its model by label (resolved in {@link #build()}). */
    private record TokenRow(String model, OptionalInt tokenId, Optional<String> token, boolean force) {
    }

    public RequestBuilder(String method) {
        this.method = method;
    }

    /** The base model; it may also be one of the {@link #model models} (slerp lists it), and is counted once. */
    public RequestBuilder base(String label, Path path) {
        return base(new PlannedModel(label, path));
    }

    /**
     * The base model, possibly read through an adapter ({@code model+lora}); listed also as a model with the same
     * path and adapter, it is counted once.
     */
    public RequestBuilder base(PlannedModel model) {
        this.base = Objects.requireNonNull(model, "model");
        return this;
    }

    /** A model and its per-model parameters ({@code weight}, {@code density} …). */
    public RequestBuilder model(String label, Path path, Map<String, Object> parameters) {
        return model(new PlannedModel(label, path), parameters);
    }

    /** A model, possibly read through an adapter ({@code model+lora}), and its per-model parameters. */
    public RequestBuilder model(PlannedModel model, Map<String, Object> parameters) {
        listed.add(Objects.requireNonNull(model, "model"));
        params.add(new LinkedHashMap<>(parameters));
        return this;
    }

    /** A global parameter ({@code lambda}, {@code normalize}, {@code t} …). */
    public RequestBuilder global(String name, Object value) {
        global.put(name, value);
        return this;
    }

    public RequestBuilder dtype(DType value) {
        this.dtype = value;
        return this;
    }

    public RequestBuilder outDtype(DType value) {
        this.outDtype = value;
        return this;
    }

    public RequestBuilder lines(LinesSetting value) {
        this.lines = value;
        return this;
    }

    public RequestBuilder seed(long value) {
        this.seed = value;
        return this;
    }

    /**
     * How problems spell parameters and options: {@link Vocabulary#NAMES} unless a front end (the command line)
     * gives its own.
     */
    public RequestBuilder vocabulary(Vocabulary value) {
        this.vocabulary = Objects.requireNonNull(value, "vocabulary");
        return this;
    }

    /**
     * The output vocabulary: {@code "base"}, {@code "union"}, or the label of one of the models (as given to
     * {@link #model} or {@link #base}); its embeddings are rebuilt for it (see {@link TokenizerRequest}).
     */
    public RequestBuilder tokenizerSource(String value) {
        this.tokenizerSource = Objects.requireNonNull(value, "tokenizerSource");
        return this;
    }

    /** Rounds the output's embedding rows up to a multiple of this (needs a {@link #tokenizerSource}). */
    public RequestBuilder padToMultipleOf(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("pad_to_multiple_of must be positive, got " + value);
        }
        this.padToMultipleOf = OptionalInt.of(value);
        return this;
    }

    /** The chat template written: {@code auto}, {@code alpaca}, {@code chatml}, {@code llama3}, {@code mistral} or Jinja. */
    public RequestBuilder chatTemplate(String value) {
        this.chatTemplate = Objects.requireNonNull(value, "chatTemplate");
        return this;
    }

    /**
     * {@code tokenizer.tokens[token].source: model}: the default row of {@code token} is its own row in that model
     * (by label); with {@code force}, every model takes it. A token the output lacks is added.
     */
    public RequestBuilder tokenRow(String token, String model, boolean force) {
        tokenRows.put(token, new TokenRow(Objects.requireNonNull(model, "model"), OptionalInt.empty(),
                Optional.empty(), force));
        return this;
    }

    /** {@code kind: model_token, token: sourceToken}: the row of {@code sourceToken} in that model. */
    public RequestBuilder tokenRow(String token, String model, String sourceToken, boolean force) {
        tokenRows.put(token, new TokenRow(Objects.requireNonNull(model, "model"), OptionalInt.empty(),
                Optional.of(sourceToken), force));
        return this;
    }

    /** {@code kind: model_token, token_id: sourceId}: row {@code sourceId} of that model. */
    public RequestBuilder tokenRow(String token, String model, int sourceId, boolean force) {
        if (sourceId < 0) {
            throw new IllegalArgumentException("a token id is 0 or more, got " + sourceId);
        }
        tokenRows.put(token, new TokenRow(Objects.requireNonNull(model, "model"), OptionalInt.of(sourceId),
                Optional.empty(), force));
        return this;
    }

    /** {@code kind: zero}: a row of zeros for {@code token}. */
    public RequestBuilder tokenZero(String token, boolean force) {
        tokenRows.put(token, new TokenRow(null, OptionalInt.empty(), Optional.empty(), force));
        return this;
    }

    /**
     * @throws IllegalArgumentException when the tokenizer source or a per-token row names no model of the request,
     *                                  or padding or per-token rows are set without a tokenizer source
     */
    public MergeRequest build() {
        List<PlannedModel> models = new ArrayList<>();
        List<Map<String, Object>> perModel = new ArrayList<>();
        if (base != null && listed.stream().noneMatch(base::sameInput)) {
            models.add(base);
            perModel.add(Map.of());
        }
        models.addAll(listed);
        perModel.addAll(params);
        int baseIndex = -1;
        for (int i = 0; base != null && i < models.size(); i++) {
            if (models.get(i).sameInput(base)) {
                baseIndex = i;
                break;
            }
        }
        return new MergeRequest(method, models, baseIndex, new FixedParameters(perModel, global),
                Optional.ofNullable(dtype), Optional.ofNullable(outDtype), Optional.ofNullable(lines), seed, yaml(),
                Optional.empty(), vocabulary, tokenizer(models));
    }

    private TokenizerRequest tokenizer(List<PlannedModel> models) {
        Optional<TokenizerSource> source = Optional.ofNullable(tokenizerSource).map(s -> switch (s) {
            case "base" -> TokenizerSource.BASE;
            case "union" -> TokenizerSource.UNION;
            default -> TokenizerSource.model(index(models, s, "tokenizer source " + s + " is none of base, union and "
                    + "the models"));
        });
        if (source.isEmpty() && (padToMultipleOf.isPresent() || !tokenRows.isEmpty())) {
            throw new IllegalArgumentException("pad_to_multiple_of and per-token rows need a tokenizer source");
        }
        Map<String, TokenSetting> tokens = new LinkedHashMap<>();
        tokenRows.forEach((token, r) -> {
            TokenSource from;
            if (r.model() == null) {
                from = new TokenSource.Zero();
            } else {
                int m = index(models, r.model(), "the row of token " + token + " names " + r.model() + ", none of the "
                        + "models");
                from = r.tokenId().isEmpty() && r.token().isEmpty() ? new TokenSource.OwnRow(m)
                        : new TokenSource.ModelToken(m, r.tokenId(), r.token());
            }
            tokens.put(token, new TokenSetting(from, r.force()));
        });
        return new TokenizerRequest(source, tokens, padToMultipleOf, Optional.ofNullable(chatTemplate));
    }

    private static int index(List<PlannedModel> models, String label, String problem) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).label().equals(label)) {
                return i;
            }
        }
        throw new IllegalArgumentException(problem + " (" + String.join(", ", models.stream()
                .map(PlannedModel::label).toList()) + ")");
    }

    /** The request as a recipe {@code graft run} (and mergekit, without Graft's extensions) reads. */
    public String yaml() {
        StringBuilder sb = new StringBuilder();
        sb.append("merge_method: ").append(method).append('\n');
        if (base != null) {
            sb.append("base_model: ").append(quote(base.label())).append('\n');
        }
        sb.append("models:\n");
        for (int i = 0; i < listed.size(); i++) {
            sb.append("  - model: ").append(quote(listed.get(i).label())).append('\n');
            if (!params.get(i).isEmpty()) {
                sb.append("    parameters:\n");
                params.get(i).forEach((k, v) -> sb.append("      ").append(k).append(": ").append(value(v)).append('\n'));
            }
        }
        if (!global.isEmpty()) {
            sb.append("parameters:\n");
            global.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(value(v)).append('\n'));
        }
        if (dtype != null) {
            sb.append("dtype: ").append(dtype.torchName()).append('\n');
        }
        if (outDtype != null) {
            sb.append("out_dtype: ").append(outDtype.torchName()).append('\n');
        }
        if (lines != null) {
            OptionalDouble a = lines.alpha();
            sb.append("lines:\n  alpha: ").append(a.isPresent() ? value(a.getAsDouble()) : "auto")
                    .append("\n  beta: ").append(value(lines.beta())).append('\n');
        }
        if (seed != 0) {
            sb.append("seed: ").append(seed).append('\n');
        }
        if (tokenizerSource != null && (padToMultipleOf.isPresent() || !tokenRows.isEmpty())) {
            sb.append("tokenizer:\n  source: ").append(quote(tokenizerSource)).append('\n');
            padToMultipleOf.ifPresent(p -> sb.append("  pad_to_multiple_of: ").append(p).append('\n'));
            if (!tokenRows.isEmpty()) {
                sb.append("  tokens:\n");
                tokenRows.forEach((token, r) -> sb.append("    ").append(quote(token)).append(": {source: ")
                        .append(r.model() == null ? "{kind: zero}" : r.tokenId().isPresent()
                                ? "{kind: model_token, model: " + quote(r.model()) + ", token_id: "
                                + r.tokenId().getAsInt() + "}"
                                : r.token().isPresent() ? "{kind: model_token, model: " + quote(r.model()) + ", token: "
                                + quote(r.token().get()) + "}" : quote(r.model()))
                        .append(r.force() ? ", force: true}" : "}").append('\n'));
            }
        } else if (tokenizerSource != null) {
            sb.append("tokenizer_source: ").append(quote(tokenizerSource)).append('\n');
        }
        if (chatTemplate != null) {
            sb.append("chat_template: ").append(quote(chatTemplate)).append('\n');
        }
        return sb.toString();
    }

    private static String value(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d.longValue() + ".0";
        }
        return v instanceof String s ? quote(s) : String.valueOf(v);
    }

    /** Plain when YAML reads it back as the same string, else JSON-style double quotes (valid YAML). */
    private static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./@+-][A-Za-z0-9_./@+ -]*") && !s.endsWith(" ")
                && !s.matches("(?i)true|false|null|yes|no|on|off|~|[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
