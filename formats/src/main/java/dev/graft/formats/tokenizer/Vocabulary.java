package dev.graft.formats.tokenizer;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * A model's vocabulary: tokens with the dense ids 0 … size-1, one token per id and one id per token.
 *
 * <p>Dense because the tokenizers library counts a vocabulary by its entries: added tokens outside it are given
 * the ids from that count on, so a vocabulary with a hole would hand one of its own ids out twice (its serialiser
 * warns that such a vocabulary "could be corrupted"); and because embedding rows are indexed by id.
 */
public final class Vocabulary {
    private final String[] tokens;
    private final TokenIndex ids;

    private Vocabulary(String[] tokens, TokenIndex ids) {
        this.tokens = tokens;
        this.ids = ids;
    }

    /**
     * The vocabulary of a file's entries, given in file order.
     *
     * @param where the entries' place in the file for messages, e.g. {@code model.vocab}
     * @throws TokenizerFormatException for a token listed twice, an id given twice, or an id outside 0 … n-1
     */
    static Vocabulary of(List<String> tokensInFileOrder, int[] idsInFileOrder, Path file, String where) {
        int n = tokensInFileOrder.size();
        String[] byId = new String[n];
        TokenIndex index = new TokenIndex(n);
        for (int i = 0; i < n; i++) {
            String token = tokensInFileOrder.get(i);
            int id = idsInFileOrder[i];
            int before = index.putIfAbsent(token, id);
            if (before >= 0) {
                throw new TokenizerFormatException(file, where + " lists " + Quoted.of(token) + " twice (ids " + before
                        + " and " + id + ")");
            }
            if (id < 0 || id >= n) {
                throw new TokenizerFormatException(file, where + " gives " + Quoted.of(token) + " id " + id
                        + ", out of range: its " + n + " entries must have the ids 0.." + (n - 1));
            }
            if (byId[id] != null) {
                throw new TokenizerFormatException(file, where + " gives id " + id + " to both " + Quoted.of(byId[id])
                        + " and " + Quoted.of(token));
            }
            byId[id] = token;
        }
        return new Vocabulary(byId, index);
    }

    /**
     * A vocabulary whose ids are the positions in a list, as a Unigram model's is.
     *
     * @throws TokenizerFormatException for a token listed twice
     */
    static Vocabulary ofList(List<String> tokensInIdOrder, Path file, String where) {
        int[] ids = new int[tokensInIdOrder.size()];
        Arrays.setAll(ids, i -> i);
        return of(tokensInIdOrder, ids, file, where);
    }

    /** The number of tokens, which is also one past the largest id. */
    public int size() {
        return tokens.length;
    }

    /** The token with this id. */
    public String token(int id) {
        return tokens[id];
    }

    /** The id of this token, if the vocabulary has it. */
    public OptionalInt id(String token) {
        int id = ids.get(token);
        return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The id of this token, or -1: for the hot loops over merges, where an OptionalInt per lookup adds up. */
    int idOrMinusOne(String token) {
        return ids.get(token);
    }

    public boolean contains(String token) {
        return ids.get(token) >= 0;
    }

    /** Every token in id order (a view). */
    public List<String> tokens() {
        return new AbstractList<>() {
            @Override
            public String get(int index) {
                return tokens[index];
            }

            @Override
            public int size() {
                return tokens.length;
            }
        };
    }
}
