package dev.graft.formats.tokenizer;

import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.model.ModelConfig;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A model folder's tokenizer as transformers would load it: which files are there, the tokens (those of
 * {@code tokenizer.json} plus what {@code tokenizer_config.json} adds on load), the special tokens and chat templates
 * in transformers' order of precedence, and the vocabulary sizes beside {@code config.json}'s. Each method reads the
 * files it needs when called; only {@link #of} looks at the folder.
 */
public final class TokenizerFolder {
    private final Path dir;
    private final Set<TokenizerFile> files;

    private TokenizerFolder(Path dir, Set<TokenizerFile> files) {
        this.dir = dir;
        this.files = Collections.unmodifiableSet(files);
    }

    /**
     * Lists the tokenizer files of a folder.
     *
     * @throws TokenizerFormatException when the path is not a folder
     */
    public static TokenizerFolder of(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new TokenizerFormatException(dir, Files.exists(dir) ? "not a folder" : "no such folder");
        }
        Set<TokenizerFile> present = EnumSet.noneOf(TokenizerFile.class);
        for (TokenizerFile f : TokenizerFile.values()) {
            Path p = dir.resolve(f.fileName());
            if (f == TokenizerFile.ADDITIONAL_CHAT_TEMPLATES ? Files.isDirectory(p) : Files.isRegularFile(p)) {
                present.add(f);
            }
        }
        return new TokenizerFolder(dir, present);
    }

    public Path dir() {
        return dir;
    }

    /** The tokenizer files present. */
    public Set<TokenizerFile> files() {
        return files;
    }

    public Path path(TokenizerFile file) {
        return dir.resolve(file.fileName());
    }

    /** Which tokenizer the folder holds: the first readable form present, else whether it is SentencePiece only. */
    public TokenizerKind kind() {
        if (files.contains(TokenizerFile.TOKENIZER_JSON)) {
            return TokenizerKind.TOKENIZER_JSON;
        }
        if (files.contains(TokenizerFile.VOCAB_JSON) && files.contains(TokenizerFile.MERGES_TXT)) {
            return TokenizerKind.VOCAB_AND_MERGES;
        }
        return files.contains(TokenizerFile.SENTENCEPIECE_MODEL) ? TokenizerKind.SENTENCEPIECE_ONLY
                : TokenizerKind.NONE;
    }

    /** {@code tokenizer_config.json}, when present. */
    public Optional<TokenizerConfig> config() {
        return files.contains(TokenizerFile.TOKENIZER_CONFIG)
                ? Optional.of(TokenizerConfig.read(path(TokenizerFile.TOKENIZER_CONFIG))) : Optional.empty();
    }

    /**
     * The special tokens transformers would use: the config's; where the config has no {@code added_tokens_decoder}
     * (files older than transformers 4.34), {@code special_tokens_map.json}'s take precedence, as transformers'
     * legacy loading gives them.
     */
    public SpecialTokens specialTokens() {
        Optional<TokenizerConfig> config = config();
        SpecialTokens own = config.map(TokenizerConfig::specialTokens).orElse(SpecialTokens.none());
        boolean legacy = config.flatMap(TokenizerConfig::addedTokensDecoder).isEmpty();
        return legacy && files.contains(TokenizerFile.SPECIAL_TOKENS_MAP)
                ? own.overriddenBy(SpecialTokens.read(path(TokenizerFile.SPECIAL_TOKENS_MAP))) : own;
    }

    /**
     * The chat templates transformers would use: template files ({@code chat_template.jinja} as the default one,
     * {@code additional_chat_templates/NAME.jinja} by name) replace the config's {@code chat_template} when any exist.
     */
    public ChatTemplates chatTemplates() {
        Map<String, String> fromFiles = new LinkedHashMap<>();
        if (files.contains(TokenizerFile.CHAT_TEMPLATE_JINJA)) {
            fromFiles.put(ChatTemplates.DEFAULT, text(path(TokenizerFile.CHAT_TEMPLATE_JINJA)));
        }
        if (files.contains(TokenizerFile.ADDITIONAL_CHAT_TEMPLATES)) {
            Path folder = path(TokenizerFile.ADDITIONAL_CHAT_TEMPLATES);
            List<Path> jinja = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(folder, "*.jinja")) {
                s.forEach(jinja::add);
            } catch (IOException e) {
                throw new FileAccessException(folder, "cannot list the chat templates", e);
            }
            jinja.sort(null);
            for (Path p : jinja) {
                String name = p.getFileName().toString();
                fromFiles.put(name.substring(0, name.length() - ".jinja".length()), text(p));
            }
        }
        if (!fromFiles.isEmpty()) {
            return new ChatTemplates(fromFiles);
        }
        return config().map(TokenizerConfig::chatTemplates).orElse(ChatTemplates.none());
    }

    /**
     * The tokens as transformers loads them: those of {@code tokenizer.json} (or {@code vocab.json} +
     * {@code merges.txt} + {@code added_tokens.json}), then each {@code added_tokens_decoder} entry of the config
     * (whose flags replace the file's), then every special token that is not yet an added token — a token new to
     * the vocabulary taking the next id, which is how a {@code pad_token} named only in the config grows the
     * vocabulary.
     *
     * @throws TokenizerFormatException for a SentencePiece-only or tokenizer-less folder, any error of the files,
     *                                  and an {@code added_tokens_decoder} id other than the token gets on load
     */
    public Tokenizer tokenizer() {
        Tokenizer t = switch (kind()) {
            case TOKENIZER_JSON -> Tokenizer.read(path(TokenizerFile.TOKENIZER_JSON));
            case VOCAB_AND_MERGES -> Tokenizer.readVocabAndMerges(path(TokenizerFile.VOCAB_JSON),
                    path(TokenizerFile.MERGES_TXT), files.contains(TokenizerFile.ADDED_TOKENS_JSON)
                            ? path(TokenizerFile.ADDED_TOKENS_JSON) : null);
            case SENTENCEPIECE_ONLY -> throw new TokenizerFormatException(path(TokenizerFile.SENTENCEPIECE_MODEL),
                    "a SentencePiece model without tokenizer.json: Graft reads the tokens of tokenizer.json or "
                            + "vocab.json + merges.txt only");
            case NONE -> throw new TokenizerFormatException(dir, "no tokenizer: neither tokenizer.json nor "
                    + "vocab.json + merges.txt");
        };
        Optional<TokenizerConfig> config = config();
        if (config.isEmpty()) {
            return t;
        }
        Path configFile = config.get().source();
        String tokensFile = t.source().getFileName().toString();
        for (var e : config.get().addedTokensDecoder().orElse(Collections.emptySortedMap()).entrySet()) {
            int id = e.getKey();
            AddedToken token = e.getValue();
            OptionalInt loaded = t.id(token.content());
            if (loaded.isPresent() && loaded.getAsInt() != id) {
                throw new TokenizerFormatException(configFile, "added_tokens_decoder gives "
                        + Quoted.of(token.content()) + " id " + id + ", but " + tokensFile + " gives it id "
                        + loaded.getAsInt());
            }
            if (loaded.isEmpty() && id != t.size()) {
                throw new TokenizerFormatException(configFile, "added_tokens_decoder gives "
                        + Quoted.of(token.content()) + " id " + id + ", but it would be loaded as id " + t.size()
                        + " (the next after the " + t.size() + " ids in use)");
            }
            t = t.addTokens(List.of(token));
        }
        for (AddedToken special : specialTokens().all()) {
            if (t.addedToken(special.content()).isEmpty()) {
                t = t.addTokens(List.of(special));
            }
        }
        return t;
    }

    /**
     * {@code config.json}'s {@code vocab_size} beside the tokenizer's sizes; reads the tokenizer as
     * {@link #tokenizer()} does.
     */
    public VocabSizes vocabSizes() {
        Tokenizer t = tokenizer();
        Path config = dir.resolve(ModelConfig.FILE_NAME);
        OptionalInt configured = Files.isRegularFile(config) ? ModelConfig.read(config).vocabSize()
                : OptionalInt.empty();
        return new VocabSizes(configured, t.size(), t.modelVocabulary().size());
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (MalformedInputException e) {
            throw new TokenizerFormatException(file, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new FileAccessException(file, "cannot read the chat template", e);
        }
    }
}
