package dev.graft.core.inspect;

import dev.graft.formats.tokenizer.Tokenizer;
import dev.graft.formats.tokenizer.TokenizerFolder;
import dev.graft.formats.tokenizer.TokenizerKind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How two model folders' tokenizers differ, for {@code graft diff}: the tokens only one has, and those both have
 * under different ids (whose embedding rows a merge without a tokenizer source would mix up).
 *
 * @param sizeA        every id A's tokenizer uses
 * @param sizeB        every id B's tokenizer uses
 * @param onlyInA      A's tokens that B lacks, in A's id order
 * @param onlyInB      B's tokens that A lacks, in B's id order
 * @param differentIds tokens both have at different ids, in A's id order
 */
public record TokenizerDiff(int sizeA, int sizeB, List<String> onlyInA, List<String> onlyInB,
                            List<Moved> differentIds) {
    /** A token with its id in each tokenizer. */
    public record Moved(String token, int idA, int idB) {
    }

    public TokenizerDiff {
        onlyInA = List.copyOf(onlyInA);
        onlyInB = List.copyOf(onlyInB);
        differentIds = List.copyOf(differentIds);
    }

    /**
     * Compares the tokenizers of two model folders; empty unless both are folders whose tokens Graft reads.
     *
     * @throws dev.graft.formats.tokenizer.TokenizerFormatException for a malformed tokenizer file
     */
    public static Optional<TokenizerDiff> of(Path a, Path b) {
        Optional<Tokenizer> ta = read(a);
        Optional<Tokenizer> tb = read(b);
        return ta.isPresent() && tb.isPresent() ? Optional.of(of(ta.get(), tb.get())) : Optional.empty();
    }

    /** Compares two tokenizers. */
    public static TokenizerDiff of(Tokenizer a, Tokenizer b) {
        List<String> onlyA = new ArrayList<>();
        List<Moved> moved = new ArrayList<>();
        for (Map.Entry<String, Integer> e : a.vocab().entrySet()) {
            var inB = b.id(e.getKey());
            if (inB.isEmpty()) {
                onlyA.add(e.getKey());
            } else if (inB.getAsInt() != e.getValue()) {
                moved.add(new Moved(e.getKey(), e.getValue(), inB.getAsInt()));
            }
        }
        List<String> onlyB = new ArrayList<>();
        for (String token : b.vocab().keySet()) {
            if (a.id(token).isEmpty()) {
                onlyB.add(token);
            }
        }
        return new TokenizerDiff(a.size(), b.size(), onlyA, onlyB, moved);
    }

    /** Whether the two give every token the same id. */
    public boolean same() {
        return onlyInA.isEmpty() && onlyInB.isEmpty() && differentIds.isEmpty();
    }

    private static Optional<Tokenizer> read(Path p) {
        if (!Files.isDirectory(p)) {
            return Optional.empty();
        }
        TokenizerFolder f = TokenizerFolder.of(p);
        return f.kind() == TokenizerKind.TOKENIZER_JSON || f.kind() == TokenizerKind.VOCAB_AND_MERGES
                ? Optional.of(f.tokenizer()) : Optional.empty();
    }
}
