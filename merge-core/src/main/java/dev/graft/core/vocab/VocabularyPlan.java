package dev.graft.core.vocab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.tokenizer.ChatTemplates;
import dev.graft.formats.tokenizer.SpecialTokens;
import dev.graft.formats.tokenizer.Tokenizer;
import dev.graft.formats.tokenizer.TokenizerConfig;
import dev.graft.formats.tokenizer.TokenizerFile;
import dev.graft.formats.tokenizer.TokenizerJsonDocument;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A merge's vocabulary, decided before any tensor is read: the output tokenizer, each model's permutation
 * (output id → its own row, or -1), the resolved per-token settings, the rows written, the chat template, and the
 * tokenizer files of the output folder. Built by {@link VocabularyPlanner}. Immutable.
 *
 * <p>A plan with no {@link #output()} leaves the vocabulary as it is (a chat template alone, or a {@code base}
 * tokenizer Graft cannot read): embeddings are merged as without a tokenizer source and the donor's files copied,
 * with the chat template written into its {@code tokenizer_config.json}.
 */
public final class VocabularyPlan {
    private static final String GENERATION_CONFIG = "generation_config.json";
    /** The tokenizer files the merged ones replace: none of the donor's is copied beside them. */
    public static final Set<String> REPLACED = Set.of(TokenizerJsonDocument.FILE_NAME, TokenizerConfig.FILE_NAME,
            SpecialTokens.FILE_NAME, "tokenizer.model", "added_tokens.json", "merges.txt", "vocab.json",
            "chat_template.jinja", "chat_template.json", GENERATION_CONFIG);
    private static final List<String> ID_FIELDS = List.of("bos_token_id", "eos_token_id", "pad_token_id",
            "decoder_start_token_id");

    private final Optional<OutputTokenizer> output;
    private final Optional<TokenizerConfig> donorConfig;
    private final List<String> labels;
    private final List<int[]> permutations;
    private final EmbeddingRows.RowSetting[] settingsByModel;
    private final int[] settingModel;
    private final int rows;
    private final Optional<String> chatTemplate;
    private final Optional<Tokenizer> donorTokens;
    private final List<String> description;

    VocabularyPlan(Optional<OutputTokenizer> output, Optional<TokenizerConfig> donorConfig, List<String> labels,
                   List<int[]> permutations, EmbeddingRows.RowSetting[] settingsByModel, int[] settingModel, int rows,
                   Optional<String> chatTemplate, Optional<Tokenizer> donorTokens, List<String> description) {
        this.output = output;
        this.donorConfig = donorConfig;
        this.labels = List.copyOf(labels);
        this.permutations = permutations;
        this.settingsByModel = settingsByModel;
        this.settingModel = settingModel;
        this.rows = rows;
        this.chatTemplate = chatTemplate;
        this.donorTokens = donorTokens;
        this.description = List.copyOf(description);
    }

    /** Whether the embeddings are rebuilt for a new vocabulary. */
    public boolean changesVocabulary() {
        return output.isPresent();
    }

    /** The output tokens; empty when the vocabulary is unchanged. */
    public Optional<Tokenizer> tokenizer() {
        return output.map(OutputTokenizer::tokenizer);
    }

    /** The embedding rows written: the output tokenizer's size rounded up to {@code pad_to_multiple_of}. */
    public int rows() {
        return rows;
    }

    /** Model {@code m}'s permutation: output id → its row, or -1 where it lacks the token (a copy). */
    public int[] permutation(int m) {
        return permutations.get(m).clone();
    }

    /** The template written into {@code tokenizer_config.json}, if one is set. */
    public Optional<String> chatTemplate() {
        return chatTemplate;
    }

    /** The plan in words, one line each, for {@code --dry-run}. */
    public List<String> description() {
        return description;
    }

    /**
     * The rows of the embedding-like tensors of a task whose inputs are these models.
     *
     * @param models    the task's inputs, as indices of the request's models
     * @param baseInput the base's position among them, or -1
     * @return the rebuild; empty when a per-token setting names a model that is not one of the inputs (the
     *         problem is added)
     */
    public Optional<EmbeddingRows> rowsFor(List<Integer> models, int baseInput, List<String> problems) {
        int real = tokenizer().orElseThrow().size();
        List<int[]> perms = new ArrayList<>();
        models.forEach(m -> perms.add(permutations.get(m)));
        EmbeddingRows.RowSetting[] settings = new EmbeddingRows.RowSetting[real];
        boolean ok = true;
        for (int id = 0; id < real; id++) {
            EmbeddingRows.RowSetting s = settingsByModel[id];
            if (s == null) {
                continue;
            }
            if (settingModel[id] < 0) {
                settings[id] = s;
                continue;
            }
            int input = models.indexOf(settingModel[id]);
            if (input < 0) {
                problems.add("tokenizer.tokens: " + quoted(tokenizer().get().token(id).orElseThrow())
                        + " takes its row from " + labels.get(settingModel[id]) + ", which is not an input of "
                        + "the embeddings");
                ok = false;
                continue;
            }
            settings[id] = new EmbeddingRows.RowSetting(input, s.row(), s.force());
        }
        return ok ? Optional.of(EmbeddingRows.decide(perms, baseInput, settings, rows)) : Optional.empty();
    }

    /**
     * The donor's {@code config.json} for the output: {@code vocab_size} set to {@link #rows()} and the token ids
     * ({@code bos_token_id}, {@code eos_token_id}, {@code pad_token_id}, {@code decoder_start_token_id}) moved to
     * the output ids of the tokens they name in the donor's tokenizer.
     */
    public ModelConfig remap(ModelConfig config) {
        if (!changesVocabulary()) {
            return config;
        }
        ObjectNode json = config.json();
        json.put("vocab_size", rows);
        remapIds(json);
        return ModelConfig.of(json);
    }

    /** {@code generation_config.json}'s text with its token ids remapped as {@link #remap} does. */
    private String remapGeneration(String text, Path file) {
        try {
            JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
            if (!(tree instanceof ObjectNode json)) {
                return text;
            }
            remapIds(json);
            return dev.graft.formats.json.PythonJson.dumps(json, 2, true) + "\n";
        } catch (IOException e) {
            throw new FileAccessException(file, "invalid JSON: " + e.getMessage(), e);
        }
    }

    private void remapIds(ObjectNode json) {
        for (String field : ID_FIELDS) {
            JsonNode v = json.get(field);
            if (v != null && v.isInt()) {
                remapId(v.intValue()).ifPresent(id -> json.put(field, id));
            } else if (v instanceof ArrayNode list) {
                ArrayNode out = json.arrayNode();
                list.forEach(e -> out.add(e.isInt() ? remapId(e.intValue()).orElse(e.intValue()) : e.asInt()));
                json.set(field, out);
            }
        }
    }

    private OptionalInt remapId(int id) {
        Optional<String> token = donorTokens.flatMap(t -> t.token(id));
        return token.isPresent() ? output.orElseThrow().tokenizer().id(token.get()) : OptionalInt.empty();
    }

    /**
     * The tokenizer files of the output folder, by name: the merged {@code tokenizer.json},
     * {@code tokenizer_config.json} (with the chat template) and the source's {@code special_tokens_map.json}; with
     * an unchanged vocabulary only the donor's {@code tokenizer_config.json} with the chat template. The donor's
     * files that {@link #replacedFiles()} names are not copied beside them.
     *
     * @param donorFolder the folder whose other files are copied
     */
    public Map<String, String> files(Path donorFolder) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!changesVocabulary() && chatTemplate.isEmpty()) {
            return out;
        }
        Optional<TokenizerConfig> config = output.isPresent() ? output.get().config() : donorConfig;
        if (output.isPresent()) {
            out.put(TokenizerJsonDocument.FILE_NAME, output.get().json().toJson());
            Path map = output.get().source().path(TokenizerFile.SPECIAL_TOKENS_MAP);
            if (Files.isRegularFile(map)) {
                out.put(SpecialTokens.FILE_NAME, text(map));
            }
            Path generation = donorFolder.resolve(GENERATION_CONFIG);
            if (Files.isRegularFile(generation)) {
                out.put(GENERATION_CONFIG, remapGeneration(text(generation), generation));
            }
        }
        if (chatTemplate.isPresent()) {
            config = Optional.of(config.orElseGet(() -> TokenizerConfig.empty(
                    donorFolder.resolve(TokenizerConfig.FILE_NAME))).withChatTemplates(ChatTemplates.of(chatTemplate.get())));
        } else if (output.isPresent() && config.isPresent()) {
            // The source's templates, from whichever file transformers would take them, kept in the config.
            ChatTemplates kept = output.get().source().chatTemplates();
            if (!kept.isEmpty()) {
                config = Optional.of(config.get().withChatTemplates(kept));
            }
        }
        config.ifPresent(c -> out.put(TokenizerConfig.FILE_NAME, c.toJson()));
        return out;
    }

    /**
     * The donor's files not copied into the output: every tokenizer file when the vocabulary changes (a stale
     * {@code tokenizer.model} or {@code vocab.json} would load other ids); with only a chat template, the config and
     * the template files, which transformers would prefer to the config's template.
     */
    public Set<String> replacedFiles() {
        return changesVocabulary() ? REPLACED
                : chatTemplate.isPresent() ? Set.of(TokenizerConfig.FILE_NAME, "chat_template.jinja", "chat_template.json")
                : Set.of();
    }

    private static String text(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new FileAccessException(p, "cannot read the tokenizer file", e);
        }
    }

    private static String quoted(String token) {
        return "\"" + token + "\"";
    }
}
