package dev.graft.core.inspect;

import dev.graft.formats.tokenizer.AddedToken;
import dev.graft.formats.tokenizer.Tokenizer;
import dev.graft.formats.tokenizer.TokenizerFolder;
import dev.graft.formats.tokenizer.TokenizerFormatException;
import dev.graft.formats.tokenizer.TokenizerKind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;

/**
 * What {@code graft inspect} says about a model folder's tokenizer: its size, the added tokens, whether it has a
 * chat template, and the {@code vocab_size} beside it. Read from the tokenizer files as transformers loads them.
 *
 * @param kind            which files hold the tokens
 * @param size            every id the tokenizer uses ({@code len(tokenizer)}); 0 when unreadable
 * @param modelVocabSize  the tokenizer model's own vocabulary, without added tokens beyond it
 * @param configVocabSize {@code config.json}'s {@code vocab_size}, the embedding rows
 * @param added           the added tokens by id
 * @param chatTemplates   the names of its chat templates ({@code default} for an unnamed one); empty when none
 * @param problem         why the tokens could not be read (a SentencePiece-only folder, a malformed file)
 */
public record TokenizerSummary(TokenizerKind kind, int size, int modelVocabSize, OptionalInt configVocabSize,
                               SortedMap<Integer, AddedToken> added, List<String> chatTemplates,
                               Optional<String> problem) {
    public TokenizerSummary {
        chatTemplates = List.copyOf(chatTemplates);
    }

    /** The tokenizer of a model folder, or empty when the path is no folder or has no tokenizer files. */
    public static Optional<TokenizerSummary> of(Path path, OptionalInt configVocabSize) {
        if (!Files.isDirectory(path)) {
            return Optional.empty();
        }
        TokenizerFolder folder = TokenizerFolder.of(path);
        if (folder.kind() == TokenizerKind.NONE) {
            return Optional.empty();
        }
        List<String> templates;
        try {
            templates = List.copyOf(folder.chatTemplates().templates().keySet());
        } catch (TokenizerFormatException e) {
            templates = List.of();
        }
        try {
            Tokenizer t = folder.tokenizer();
            return Optional.of(new TokenizerSummary(folder.kind(), t.size(), t.modelVocabulary().size(),
                    configVocabSize, t.addedTokens(), templates, Optional.empty()));
        } catch (TokenizerFormatException e) {
            return Optional.of(new TokenizerSummary(folder.kind(), 0, 0, configVocabSize,
                    java.util.Collections.emptySortedMap(), templates, Optional.of(e.getMessage())));
        }
    }
}
