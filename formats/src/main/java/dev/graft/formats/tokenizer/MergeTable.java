package dev.graft.formats.tokenizer;

import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Turns BPE merges into vocabulary ids, checking them as the tokenizers library's BPE builder does: both tokens and
 * their merge must be in the vocabulary, else it refuses the model ({@code MergeTokenOutOfVocabulary}).
 */
final class MergeTable {
    /** The merges of a model that has none: three empty id columns. */
    static final int[][] NONE = {new int[0], new int[0], new int[0]};

    private MergeTable() {
    }

    /**
     * @param prefix the model's {@code continuing_subword_prefix}, which the second token loses in the merge; or null
     * @param name   how messages name merge i, e.g. {@code model.merges[3]}
     * @return the ids of the left tokens, the right tokens and the merged tokens
     */
    static int[][] resolve(Path file, Vocabulary vocabulary, List<String> left, List<String> right, String prefix,
                           IntFunction<String> name) {
        int n = left.size();
        int[][] ids = {new int[n], new int[n], new int[n]};
        for (int i = 0; i < n; i++) {
            String a = left.get(i);
            String b = right.get(i);
            String merged = a + (prefix != null && b.startsWith(prefix) ? b.substring(prefix.length()) : b);
            int[] abm = {vocabulary.idOrMinusOne(a), vocabulary.idOrMinusOne(b), vocabulary.idOrMinusOne(merged)};
            for (int column = 0; column < 3; column++) {
                if (abm[column] < 0) {
                    // Messages are built only on failure: 150k merges must not format 150k strings.
                    String where = name.apply(i) + " (" + Quoted.of(a) + ", " + Quoted.of(b) + ")";
                    throw new TokenizerFormatException(file, where + (column < 2
                            ? ": " + Quoted.of(column == 0 ? a : b) + " is not in the vocabulary"
                            : ": their merge " + Quoted.of(merged) + " is not in the vocabulary"));
                }
                ids[column][i] = abm[column];
            }
        }
        return ids;
    }
}
