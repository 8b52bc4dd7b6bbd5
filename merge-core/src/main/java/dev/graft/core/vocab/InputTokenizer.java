package dev.graft.core.vocab;

import dev.graft.formats.tokenizer.Tokenizer;
import dev.graft.formats.tokenizer.TokenizerFolder;
import dev.graft.formats.tokenizer.TokenizerKind;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One input model's tokens as a vocabulary merge sees them: the tokenizer transformers would load from its folder,
 * and the ids that have embedding rows, those below {@code config.json}'s {@code vocab_size} (mergekit's
 * {@code get_vocab_size}; without it, every id the tokenizer uses).
 *
 * @param label     how the request names the model
 * @param folder    its tokenizer files
 * @param tokenizer its tokens; empty when Graft cannot read them (a SentencePiece-only {@code tokenizer.model})
 * @param limit     ids from this on have no embedding row
 */
record InputTokenizer(String label, TokenizerFolder folder, Optional<Tokenizer> tokenizer, int limit) {
    /** Reads a model's tokenizer; {@code configVocabSize} is its {@code config.json}'s {@code vocab_size}. */
    static InputTokenizer read(String label, TokenizerFolder folder, OptionalInt configVocabSize) {
        TokenizerKind kind = folder.kind();
        if (kind == TokenizerKind.SENTENCEPIECE_ONLY || kind == TokenizerKind.NONE) {
            return new InputTokenizer(label, folder, Optional.empty(), configVocabSize.orElse(0));
        }
        Tokenizer t = folder.tokenizer();
        return new InputTokenizer(label, folder, Optional.of(t), configVocabSize.orElse(t.size()));
    }

    /** The row of a token in this model, or -1 when it lacks the token or the token's id has no row. */
    int row(String token) {
        OptionalInt id = tokenizer.orElseThrow().id(token);
        return id.isPresent() && id.getAsInt() < limit ? id.getAsInt() : -1;
    }
}
