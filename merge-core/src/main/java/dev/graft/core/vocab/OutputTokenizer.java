package dev.graft.core.vocab;

import dev.graft.formats.tokenizer.AddedToken;
import dev.graft.formats.tokenizer.Tokenizer;
import dev.graft.formats.tokenizer.TokenizerConfig;
import dev.graft.formats.tokenizer.TokenizerFile;
import dev.graft.formats.tokenizer.TokenizerFolder;
import dev.graft.formats.tokenizer.TokenizerJsonDocument;

import java.util.List;
import java.util.Optional;

/**
 * The merged tokenizer's files before they are written: a {@code tokenizer.json} that holds every added token
 * (those of the source folder's {@code tokenizer_config.json} too, so that the file alone loads with the merge's
 * ids), and the source's {@code tokenizer_config.json} with {@code added_tokens_decoder} to match. Immutable.
 *
 * @param source the folder the tokenizer was built from (the base's, or the source model's)
 * @param json   the merged {@code tokenizer.json}
 * @param config the merged {@code tokenizer_config.json}, when the source has one
 */
record OutputTokenizer(TokenizerFolder source, TokenizerJsonDocument json, Optional<TokenizerConfig> config) {
    /** The tokens of the output. */
    Tokenizer tokenizer() {
        return json.tokenizer();
    }

    /** A folder's tokenizer as transformers loads it, written out in full. */
    static OutputTokenizer of(TokenizerFolder folder) {
        TokenizerJsonDocument doc = TokenizerJsonDocument.read(folder.path(TokenizerFile.TOKENIZER_JSON));
        Tokenizer loaded = folder.tokenizer();
        OutputTokenizer out = new OutputTokenizer(folder, doc, folder.config());
        return loaded.size() == doc.tokenizer().size() && loaded.addedTokens().equals(doc.tokenizer().addedTokens())
                ? out : out.withTokenizer(loaded);
    }

    /** Without the ids from {@code size} on (mergekit's {@code get_stripped_tokenizer}). */
    OutputTokenizer trimmedTo(int size) {
        TokenizerJsonDocument trimmed = json.trimmedTo(size);
        return new OutputTokenizer(source, trimmed,
                config.map(c -> c.withAddedTokensDecoder(trimmed.tokenizer().addedTokens())));
    }

    /** With tokens added as tokenizers' {@code add_tokens} adds them. */
    OutputTokenizer withAdded(List<AddedToken> tokens) {
        return tokens.isEmpty() ? this : withTokenizer(tokenizer().addTokens(tokens));
    }

    private OutputTokenizer withTokenizer(Tokenizer t) {
        return new OutputTokenizer(source, json.withAddedTokens(t.addedTokens()),
                config.map(c -> c.withAddedTokensDecoder(t.addedTokens())));
    }
}
