package dev.graft.core.vocab;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a merge asks of its vocabulary: mergekit's {@code tokenizer_source} or {@code tokenizer:} section and its
 * {@code chat_template}. Without a source the embeddings are merged as they are and the donor's tokenizer files
 * copied; a chat template alone only changes the copied {@code tokenizer_config.json}.
 *
 * @param source          where the output vocabulary comes from; empty: no vocabulary change
 * @param tokens          per-token default rows by token text, in recipe order
 * @param padToMultipleOf round the embedding rows up to a multiple of this
 * @param chatTemplate    {@code auto}, a template name ({@code chatml} …) or Jinja source; see {@link ChatTemplateChoice}
 */
public record TokenizerRequest(Optional<TokenizerSource> source, Map<String, TokenSetting> tokens,
                               OptionalInt padToMultipleOf, Optional<String> chatTemplate) {
    /** No vocabulary change and no chat template: the donor's tokenizer files are copied. */
    public static final TokenizerRequest NONE = new TokenizerRequest(Optional.empty(), Map.of(), OptionalInt.empty(),
            Optional.empty());

    public TokenizerRequest {
        Objects.requireNonNull(source, "source");
        tokens = Collections.unmodifiableMap(new LinkedHashMap<>(tokens));
        if (source.isEmpty() && (!tokens.isEmpty() || padToMultipleOf.isPresent())) {
            throw new IllegalArgumentException("per-token sources and padding need a tokenizer source");
        }
        if (padToMultipleOf.isPresent() && padToMultipleOf.getAsInt() < 1) {
            throw new IllegalArgumentException("pad_to_multiple_of must be positive, got "
                    + padToMultipleOf.getAsInt());
        }
    }

    /** A vocabulary from {@code source}, nothing else set. */
    public static TokenizerRequest of(TokenizerSource source) {
        return new TokenizerRequest(Optional.of(source), Map.of(), OptionalInt.empty(), Optional.empty());
    }

    /** This request with a chat template. */
    public TokenizerRequest withChatTemplate(String template) {
        return new TokenizerRequest(source, tokens, padToMultipleOf, Optional.of(template));
    }

    /** Whether the merge changes the vocabulary or the tokenizer files at all. */
    public boolean isNone() {
        return source.isEmpty() && chatTemplate.isEmpty();
    }
}
