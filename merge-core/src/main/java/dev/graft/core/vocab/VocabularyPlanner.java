package dev.graft.core.vocab;

import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tokenizer.AddedToken;
import dev.graft.formats.tokenizer.Tokenizer;
import dev.graft.formats.tokenizer.TokenizerConfig;
import dev.graft.formats.tokenizer.TokenizerFolder;
import dev.graft.formats.tokenizer.TokenizerFormatException;
import dev.graft.formats.tokenizer.TokenizerKind;
import dev.graft.formats.tokenizer.TokenizerModelType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Decides a merge's {@link VocabularyPlan} from its models' tokenizer files and configs, by mergekit's rules
 * ({@code tokenizer/build.py}): every problem is added to a list, all before any tensor is read.
 *
 * <ul>
 *   <li>{@code base}: the base's tokenizer (the first model's without a base), trimmed to its {@code vocab_size}
 *       where longer; {@code union}: that, with each other model's tokens that it lacks appended in model order
 *       (vocabulary tokens as plain added tokens, then the added tokens with the flags of the first model that has
 *       them); {@code MODEL}: that model's tokenizer as it is.</li>
 *   <li>Every {@code tokenizer.tokens} key the output lacks is appended as a plain added token, as mergekit's
 *       {@code add_tokens} does; its row is what its setting says.</li>
 *   <li>Each model's permutation maps an output id to the model's id of the same token, when that id is below its
 *       {@code vocab_size}.</li>
 * </ul>
 */
public final class VocabularyPlanner {
    private VocabularyPlanner() {
    }

    /**
     * @param request   the vocabulary settings
     * @param labels    the models' labels, in request order
     * @param sources   the models, opened, in the same order
     * @param base      the base's index, or -1 (the first model's tokenizer is then the base's)
     * @param problems  where problems go; nothing is returned when any was added
     * @param warnings  where notes for the user go
     * @return empty for {@link TokenizerRequest#isNone()} requests and when a problem was found
     */
    public static Optional<VocabularyPlan> plan(TokenizerRequest request, List<String> labels,
                                                List<ModelSource> sources, int base, List<String> problems,
                                                List<String> warnings) {
        if (request.isNone()) {
            return Optional.empty();
        }
        int before = problems.size();
        int ref = base >= 0 ? base : 0;
        List<TokenizerFolder> folders = new ArrayList<>();
        for (ModelSource s : sources) {
            Path p = s.path();
            folders.add(TokenizerFolder.of(Files.isDirectory(p) ? p : p.toAbsolutePath().getParent()));
        }
        Optional<String> template = chatTemplate(request, labels, folders, ref, problems, warnings);
        Optional<TokenizerConfig> donorConfig = read(() -> folders.get(ref).config(), labels.get(ref), problems)
                .flatMap(c -> c);
        if (request.source().isEmpty()) {
            return problems.size() > before ? Optional.empty() : Optional.of(unchanged(donorConfig, labels, template,
                    List.of()));
        }
        TokenizerSource source = request.source().get();
        List<InputTokenizer> inputs = new ArrayList<>();
        for (int m = 0; m < sources.size(); m++) {
            int mm = m;
            OptionalInt vocabSize = sources.get(m).config().map(ModelConfig::vocabSize).orElse(OptionalInt.empty());
            read(() -> InputTokenizer.read(labels.get(mm), folders.get(mm), vocabSize), labels.get(m), problems)
                    .ifPresent(inputs::add);
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        int outModel = source.kind() == TokenizerSource.Kind.MODEL ? source.model() : ref;
        String sourceName = switch (source.kind()) {
            case BASE -> "base";
            case UNION -> "union";
            case MODEL -> labels.get(outModel);
        };
        for (InputTokenizer in : inputs) {
            if (in.tokenizer().isEmpty() && source.kind() == TokenizerSource.Kind.UNION) {
                problems.add("tokenizer source union: " + in.label() + " has " + unreadable(in.folder())
                        + ", whose tokens Graft cannot read; use the base's tokenizer (tokenizer_source: base)");
            }
        }
        if (source.kind() == TokenizerSource.Kind.MODEL
                && inputs.get(outModel).folder().kind() != TokenizerKind.TOKENIZER_JSON) {
            problems.add("tokenizer source " + sourceName + " has " + unreadable(inputs.get(outModel).folder())
                    + ", which Graft cannot write out; use tokenizer_source: base");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        if (inputs.get(outModel).folder().kind() != TokenizerKind.TOKENIZER_JSON) {
            if (source.kind() == TokenizerSource.Kind.UNION) {
                if (inputs.get(outModel).tokenizer().isPresent()) {
                    problems.add("tokenizer source union: " + labels.get(outModel) + " has no tokenizer.json (only "
                            + "vocab.json + merges.txt) to add the other models' tokens to; use tokenizer_source: base");
                }
                return Optional.empty();
            }
            // base still works: its files are copied as they are and the embeddings merged unchanged.
            warnings.add("tokenizer source " + sourceName + ": " + labels.get(outModel) + " has "
                    + unreadable(inputs.get(outModel).folder()) + ", which Graft copies but cannot rebuild; the "
                    + "embeddings are merged without a vocabulary change");
            return problems.size() > before ? Optional.empty()
                    : Optional.of(unchanged(donorConfig, labels, template, List.of("vocabulary: "
                    + labels.get(outModel) + "'s tokenizer files, copied (no tokenizer.json to rebuild)")));
        }
        Optional<OutputTokenizer> built = read(() -> build(source, inputs, outModel, problems, warnings),
                labels.get(outModel), problems).flatMap(o -> o);
        if (built.isEmpty() || problems.size() > before) {
            return Optional.empty();
        }
        // mergekit adds every tokenizer.tokens key to the output (build_tokenizer's add_tokens): a new one becomes a
        // plain added token, whose row its setting gives.
        List<AddedToken> fresh = new ArrayList<>();
        for (String token : request.tokens().keySet()) {
            if (built.get().tokenizer().id(token).isEmpty()) {
                fresh.add(new AddedToken(token, false, false, false, true, false));
            }
        }
        OutputTokenizer out = built.get().withAdded(fresh);
        Tokenizer tokens = out.tokenizer();
        int real = tokens.size();
        List<int[]> permutations = new ArrayList<>();
        for (InputTokenizer in : inputs) {
            InputTokenizer own = in.tokenizer().isPresent() ? in : inputs.get(ref);
            if (in.tokenizer().isEmpty()) {
                warnings.add(in.label() + ": " + unreadable(in.folder()) + " only; its tokens are taken to be "
                        + labels.get(ref) + "'s (as mergekit does for a tokenizer it cannot load)");
            }
            int[] p = new int[real];
            for (int id = 0; id < real; id++) {
                p[id] = own.row(tokens.token(id).orElseThrow());
            }
            permutations.add(p);
        }
        EmbeddingRows.RowSetting[] settings = new EmbeddingRows.RowSetting[real];
        int[] settingModel = new int[real];
        Arrays.fill(settingModel, -1);
        for (var e : request.tokens().entrySet()) {
            resolveSetting(e.getKey(), e.getValue(), tokens, inputs, permutations, labels, settings, settingModel,
                    problems);
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        int pad = request.padToMultipleOf().orElse(1);
        int rows = (int) ((real + (long) pad - 1) / pad * pad);
        Optional<Tokenizer> donorTokens = inputs.get(ref).tokenizer();
        VocabularyPlan plan = new VocabularyPlan(Optional.of(out), donorConfig, labels, permutations, settings,
                settingModel, rows, template, donorTokens, List.of());
        return Optional.of(new VocabularyPlan(Optional.of(out), donorConfig, labels, permutations, settings,
                settingModel, rows, template, donorTokens,
                describe(plan, sourceName, inputs, ref, pad, request.tokens().size(), warnings)));
    }

    private static VocabularyPlan unchanged(Optional<TokenizerConfig> donorConfig, List<String> labels,
                                            Optional<String> template, List<String> description) {
        List<String> lines = new ArrayList<>(description);
        template.ifPresent(t -> lines.add("chat template: written into tokenizer_config.json (" + t.length()
                + " characters)"));
        return new VocabularyPlan(Optional.empty(), donorConfig, labels, List.of(), new EmbeddingRows.RowSetting[0],
                new int[0], 0, template, Optional.empty(), lines);
    }

    /** The output tokenizer for the source; problems and warnings added. */
    private static Optional<OutputTokenizer> build(TokenizerSource source, List<InputTokenizer> inputs, int outModel,
                                                   List<String> problems, List<String> warnings) {
        InputTokenizer owner = inputs.get(outModel);
        OutputTokenizer out = OutputTokenizer.of(owner.folder());
        if (source.kind() == TokenizerSource.Kind.MODEL) {
            return Optional.of(out);
        }
        Tokenizer t = out.tokenizer();
        if (t.size() > owner.limit()) {
            String why = owner.label() + ": config.json vocab_size " + owner.limit()
                    + " is smaller than its tokenizer's " + t.size() + " tokens";
            if (t.modelType() != TokenizerModelType.BPE && owner.limit() < t.modelVocabulary().size()) {
                problems.add(why + ", and only a BPE vocabulary can be trimmed (this one is " + t.modelType()
                        + "); fix vocab_size or the tokenizer");
                return Optional.empty();
            }
            List<String> lost = new ArrayList<>();
            for (AddedToken special : owner.folder().specialTokens().all()) {
                OptionalInt id = t.id(special.content());
                if (id.isPresent() && id.getAsInt() >= owner.limit()) {
                    lost.add("\"" + special.content() + "\" (id " + id.getAsInt() + ")");
                }
            }
            if (!lost.isEmpty()) {
                problems.add(why + ": trimming would drop its special token" + (lost.size() == 1 ? " " : "s ")
                        + String.join(", ", lost) + "; fix vocab_size or the tokenizer");
                return Optional.empty();
            }
            warnings.add(why + "; the " + (t.size() - owner.limit()) + " tokens from id " + owner.limit()
                    + " on are dropped (they have no embedding rows)");
            out = out.trimmedTo(owner.limit());
        }
        if (source.kind() == TokenizerSource.Kind.BASE) {
            return Optional.of(out);
        }
        Tokenizer baseTokens = out.tokenizer();
        Set<String> plain = new LinkedHashSet<>();
        Map<String, AddedToken> added = new LinkedHashMap<>();
        Map<String, String> addedBy = new LinkedHashMap<>();
        List<InputTokenizer> order = new ArrayList<>();
        order.add(owner);
        inputs.stream().filter(in -> in != owner).forEach(order::add);
        for (InputTokenizer in : order) {
            Tokenizer mt = in == owner ? baseTokens : in.tokenizer().orElseThrow();
            int limit = in == owner ? baseTokens.size() : in.limit();
            for (int id = 0; id < Math.min(limit, mt.size()); id++) {
                plain.add(mt.token(id).orElseThrow());
            }
            int beyond = mt.size() - Math.min(limit, mt.size());
            if (beyond > 0 && in != owner) {
                warnings.add(in.label() + ": " + beyond + " token(s) from id " + limit + " on are past its "
                        + "config.json vocab_size and are left out of the union");
            }
            for (var e : mt.addedTokens().entrySet()) {
                if (e.getKey() >= limit) {
                    continue;
                }
                AddedToken token = e.getValue();
                AddedToken first = added.putIfAbsent(token.content(), token);
                if (first == null) {
                    addedBy.put(token.content(), in.label());
                } else if (first.special() != token.special()) {
                    problems.add("conflicting special tokens: \"" + token.content() + "\" is "
                            + (first.special() ? "special" : "not special") + " in " + addedBy.get(token.content())
                            + " but " + (token.special() ? "special" : "not special") + " in " + in.label()
                            + "; use tokenizer_source: base or one model's tokenizer");
                } else if (!first.equals(token)) {
                    warnings.add("added token \"" + token.content() + "\" has other flags in " + in.label() + " than in "
                            + addedBy.get(token.content()) + "; the first are kept (as mergekit does)");
                }
            }
        }
        List<AddedToken> appended = new ArrayList<>();
        for (String token : plain) {
            if (!added.containsKey(token) && baseTokens.id(token).isEmpty()) {
                appended.add(new AddedToken(token, false, false, false, true, false));
            }
        }
        appended.addAll(added.values());
        return Optional.of(out.withAdded(appended));
    }

    private static void resolveSetting(String token, TokenSetting setting, Tokenizer tokens, List<InputTokenizer> inputs,
                                       List<int[]> permutations, List<String> labels,
                                       EmbeddingRows.RowSetting[] settings, int[] settingModel, List<String> problems) {
        String where = "tokenizer.tokens[\"" + token + "\"]";
        int out = tokens.id(token).orElseThrow();
        switch (setting.source()) {
            case TokenSource.Zero z -> settings[out] = EmbeddingRows.RowSetting.zero(setting.force());
            case TokenSource.OwnRow own -> {
                int row = permutations.get(own.model())[out];
                if (row < 0) {
                    problems.add(where + ": " + labels.get(own.model()) + " has no row for \"" + token + "\"");
                    return;
                }
                settings[out] = new EmbeddingRows.RowSetting(own.model(), row, setting.force());
                settingModel[out] = own.model();
            }
            case TokenSource.ModelToken mt -> {
                InputTokenizer in = inputs.get(mt.model());
                int row;
                if (mt.tokenId().isPresent()) {
                    row = mt.tokenId().getAsInt();
                    if (row < 0 || row >= in.limit()) {
                        problems.add(where + ": token_id " + row + " is out of range for " + in.label() + " (ids 0.."
                                + (in.limit() - 1) + ")");
                        return;
                    }
                } else {
                    String name = mt.token().orElseThrow();
                    row = in.tokenizer().isPresent() ? in.row(name) : -1;
                    if (row < 0) {
                        problems.add(where + ": " + in.label() + " has no token \"" + name + "\"");
                        return;
                    }
                }
                settings[out] = new EmbeddingRows.RowSetting(mt.model(), row, setting.force());
                settingModel[out] = mt.model();
            }
        }
    }

    private static Optional<String> chatTemplate(TokenizerRequest request, List<String> labels,
                                                 List<TokenizerFolder> folders, int ref, List<String> problems,
                                                 List<String> warnings) {
        if (request.chatTemplate().isEmpty()) {
            return Optional.empty();
        }
        List<String> defaults = new ArrayList<>();
        if (request.chatTemplate().get().equals(ChatTemplateChoice.AUTO)) {
            List<Integer> order = new ArrayList<>();
            order.add(ref);
            for (int m = 0; m < folders.size(); m++) {
                if (m != ref) {
                    order.add(m);
                }
            }
            for (int m : order) {
                try {
                    folders.get(m).chatTemplates().defaultTemplate().ifPresent(defaults::add);
                } catch (TokenizerFormatException e) {
                    warnings.add("chat_template auto: " + labels.get(m) + "'s template is not read: " + e.getMessage());
                }
            }
        }
        try {
            Optional<String> t = ChatTemplateChoice.resolve(request.chatTemplate().get(), defaults);
            if (t.isEmpty()) {
                warnings.add("chat_template auto: no input has a chat template; none is written");
            }
            return t;
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }

    private static List<String> describe(VocabularyPlan plan, String sourceName, List<InputTokenizer> inputs, int ref,
                                         int pad, int settings, List<String> warnings) {
        Tokenizer out = plan.tokenizer().orElseThrow();
        List<String> lines = new ArrayList<>();
        lines.add("vocabulary: " + sourceName + ", " + out.size() + " tokens" + (plan.rows() > out.size()
                ? ", padded to " + plan.rows() + " rows (multiple of " + pad + ")" : "") + ", "
                + out.addedTokens().size() + " added tokens");
        List<Integer> all = new ArrayList<>();
        for (int m = 0; m < inputs.size(); m++) {
            all.add(m);
        }
        EmbeddingRows rows = plan.rowsFor(all, ref, new ArrayList<>()).orElseThrow();
        for (int m = 0; m < inputs.size(); m++) {
            int[] p = plan.permutation(m);
            int moved = 0;
            int lacking = 0;
            for (int id = 0; id < p.length; id++) {
                if (p[id] < 0) {
                    lacking++;
                } else if (p[id] != id) {
                    moved++;
                }
            }
            lines.add("  " + inputs.get(m).label() + (m == ref ? " (base)" : "") + ": " + (p.length - lacking)
                    + " own rows (" + moved + " moved), " + rows.fallbackCount(m) + " from the fallback chain");
        }
        if (settings > 0) {
            lines.add("  tokenizer.tokens: " + settings + " per-token setting" + (settings == 1 ? "" : "s"));
        }
        int[] zero = rows.zeroRows();
        if (zero.length > 0) {
            String first = out.token(zero[0]).orElseThrow();
            warnings.add(zero.length + " output token(s) are in no model, their rows are zero (first: \"" + first
                    + "\", id " + zero[0] + ")");
        }
        plan.chatTemplate().ifPresent(t -> lines.add("chat template: written into tokenizer_config.json ("
                + t.length() + " characters)"));
        return lines;
    }

    /** What a folder has instead of a readable tokenizer. */
    private static String unreadable(TokenizerFolder folder) {
        return switch (folder.kind()) {
            case SENTENCEPIECE_ONLY -> "a SentencePiece tokenizer.model without tokenizer.json";
            case NONE -> "no tokenizer files";
            case VOCAB_AND_MERGES -> "vocab.json + merges.txt without tokenizer.json";
            case TOKENIZER_JSON -> "a tokenizer.json";
        };
    }

    /** Runs a read of tokenizer files, turning a format error into one problem line. */
    private static <T> Optional<T> read(java.util.function.Supplier<T> read, String label, List<String> problems) {
        try {
            return Optional.of(read.get());
        } catch (TokenizerFormatException e) {
            problems.add(label + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
