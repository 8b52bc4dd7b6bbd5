package dev.graft.formats.tokenizer;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a tokenizer's files say about its tokens: the model type, the model's vocabulary, BPE merges, and the added
 * tokens with their ids and flags — every fact a vocabulary union needs, checked to agree with the ids the
 * tokenizers library would assign when loading the same file.
 *
 * <p>The ids run densely from 0 to {@link #size()}-1: the model's vocabulary first, then the added tokens that are
 * not in it. An added token may also be a vocabulary token (BERT's {@code [CLS]}, Llama 2's {@code <s>}), with the
 * vocabulary's id. Immutable; {@link #addTokens} returns a changed copy.
 */
public final class Tokenizer {
    private final Path source;
    private final TokenizerModelType modelType;
    private final Vocabulary vocabulary;
    /** Merge k joins tokens merges[0][k] and merges[1][k] into merges[2][k] (vocabulary ids). */
    private final int[][] merges;
    private final String unkToken;
    private final TreeMap<Integer, AddedToken> added;
    private final Map<String, Integer> addedIds;
    private final int size;

    private Tokenizer(Path source, TokenizerModelType modelType, Vocabulary vocabulary, int[][] merges,
                      String unkToken, TreeMap<Integer, AddedToken> added, Map<String, Integer> addedIds) {
        this.source = source;
        this.modelType = modelType;
        this.vocabulary = vocabulary;
        this.merges = merges;
        this.unkToken = unkToken;
        this.added = added;
        this.addedIds = addedIds;
        this.size = added.isEmpty() ? vocabulary.size() : Math.max(vocabulary.size(), added.lastKey() + 1);
    }

    /**
     * Checks the added tokens against the vocabulary as the tokenizers library loads them: a token the vocabulary
     * has keeps the vocabulary's id; any other takes the next id after the vocabulary and the added tokens before it.
     *
     * @param addedInLoadOrder added tokens with the ids the file gives them, in the order the loader adds them
     * @param addedFile        the file that lists them, for messages
     * @param where            their place in that file, e.g. {@code added_tokens}
     * @throws TokenizerFormatException for an empty or repeated token, a repeated id, an id the vocabulary gives to
     *                                  another token, or an id other than the loader would assign
     */
    static Tokenizer of(Path source, TokenizerModelType modelType, Vocabulary vocabulary, int[][] merges,
                        String unkToken, List<Map.Entry<Integer, AddedToken>> addedInLoadOrder, Path addedFile,
                        String where) {
        TreeMap<Integer, AddedToken> added = new TreeMap<>();
        Map<String, Integer> addedIds = new HashMap<>();
        int next = vocabulary.size();
        for (int i = 0; i < addedInLoadOrder.size(); i++) {
            int id = addedInLoadOrder.get(i).getKey();
            AddedToken token = addedInLoadOrder.get(i).getValue();
            String content = token.content();
            if (content.isEmpty()) {
                throw new TokenizerFormatException(addedFile, where + "[" + i + "] (id " + id
                        + ") has an empty content");
            }
            Integer before = addedIds.get(content);
            if (before != null) {
                throw new TokenizerFormatException(addedFile, "added token " + Quoted.of(content)
                        + " is listed twice (ids " + before + " and " + id + ")");
            }
            if (added.containsKey(id)) {
                throw new TokenizerFormatException(addedFile, "added tokens " + Quoted.of(added.get(id).content())
                        + " and " + Quoted.of(content) + " both have id " + id);
            }
            int inVocabulary = vocabulary.idOrMinusOne(content);
            if (inVocabulary >= 0 && inVocabulary != id) {
                throw new TokenizerFormatException(addedFile, "added token " + Quoted.of(content) + " has id " + id
                        + ", but the vocabulary gives it id " + inVocabulary);
            }
            if (inVocabulary < 0) {
                if (id >= 0 && id < vocabulary.size()) {
                    throw new TokenizerFormatException(addedFile, "added token " + Quoted.of(content) + " has id "
                            + id + ", which the vocabulary gives to " + Quoted.of(vocabulary.token(id)));
                }
                if (id != next) {
                    throw new TokenizerFormatException(addedFile, "added token " + Quoted.of(content) + " has id "
                            + id + ", but it would be loaded as id " + next + " (tokens outside the vocabulary of "
                            + vocabulary.size() + " take the next ids, in " + where + " order)");
                }
                next++;
            }
            added.put(id, token);
            addedIds.put(content, id);
        }
        return new Tokenizer(source, modelType, vocabulary, merges, unkToken, added, addedIds);
    }

    /**
     * Reads a {@code tokenizer.json} in one streaming pass (a 150k-token vocabulary in well under a second).
     *
     * @throws TokenizerFormatException for invalid JSON, a vocabulary whose ids are not 0 … n-1 (a token or id given
     *                                  twice, a hole), a merge of tokens the vocabulary lacks, or added tokens whose
     *                                  ids the tokenizers library would not give them
     * @throws dev.graft.formats.io.FileAccessException when the file cannot be read
     */
    public static Tokenizer read(Path tokenizerJson) {
        return TokenizerJsonReader.read(tokenizerJson);
    }

    /**
     * Reads the slow tokenizers' BPE files: {@code vocab.json} and {@code merges.txt}, and {@code added_tokens.json}
     * when there is one.
     *
     * @param addedTokensJson {@code added_tokens.json}, or null
     * @throws TokenizerFormatException as {@link #read} does, naming the file at fault
     */
    public static Tokenizer readVocabAndMerges(Path vocabJson, Path mergesTxt, Path addedTokensJson) {
        return LegacyBpeReader.read(vocabJson, mergesTxt, addedTokensJson);
    }

    /** The file this was read from ({@code tokenizer.json}, or {@code vocab.json} of a legacy pair). */
    public Path source() {
        return source;
    }

    public TokenizerModelType modelType() {
        return modelType;
    }

    /** The model's own vocabulary, without the added tokens outside it (transformers' {@code vocab_size}). */
    public Vocabulary modelVocabulary() {
        return vocabulary;
    }

    /** The BPE merges in rank order; empty for the other model types. */
    public List<Merge> merges() {
        return new AbstractList<>() {
            @Override
            public Merge get(int index) {
                return new Merge(vocabulary.token(merges[0][index]), vocabulary.token(merges[1][index]),
                        vocabulary.token(merges[2][index]));
            }

            @Override
            public int size() {
                return merges[0].length;
            }
        };
    }

    /** Whether merge {@code k}'s two tokens and its result all have ids below {@code size}. */
    boolean mergeWithin(int k, int size) {
        return merges[0][k] < size && merges[1][k] < size && merges[2][k] < size;
    }

    /** The model's unknown token ({@code unk_token}, or a Unigram model's {@code unk_id} entry), if it has one. */
    public Optional<String> unkToken() {
        return Optional.ofNullable(unkToken);
    }

    /** The added tokens by id, as transformers' {@code added_tokens_decoder} lists them. */
    public SortedMap<Integer, AddedToken> addedTokens() {
        return Collections.unmodifiableSortedMap(added);
    }

    /** The added token with this content, if there is one. */
    public Optional<AddedToken> addedToken(String content) {
        Integer id = addedIds.get(content);
        return id == null ? Optional.empty() : Optional.of(added.get(id));
    }

    /** Every id in use: the vocabulary and the added tokens beyond it ({@code len(tokenizer)} in transformers). */
    public int size() {
        return size;
    }

    /** The id of a token, added or in the vocabulary. */
    public OptionalInt id(String token) {
        Integer id = addedIds.get(token);
        return id != null ? OptionalInt.of(id) : vocabulary.id(token);
    }

    /** The token with an id, if the id is in use. */
    public Optional<String> token(int id) {
        AddedToken a = added.get(id);
        if (a != null) {
            return Optional.of(a.content());
        }
        return id >= 0 && id < vocabulary.size() ? Optional.of(vocabulary.token(id)) : Optional.empty();
    }

    /** Every token with its id, in id order, added tokens included (transformers' {@code get_vocab()}). */
    public Map<String, Integer> vocab() {
        Map<String, Integer> out = LinkedHashMap.newLinkedHashMap(size);
        for (int id = 0; id < size; id++) {
            out.put(token(id).orElseThrow(), id);
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * A copy with tokens added as tokenizers' {@code add_tokens} adds them: an added token of the same content
     * takes the new flags and keeps its id, a vocabulary token becomes an added token with its vocabulary id, and
     * any other token takes the next free id, in the order given.
     *
     * @throws IllegalArgumentException for an empty token, which tokenizers would skip silently
     */
    public Tokenizer addTokens(List<AddedToken> tokens) {
        TreeMap<Integer, AddedToken> newAdded = new TreeMap<>(added);
        Map<String, Integer> newIds = new HashMap<>(addedIds);
        int next = size;
        for (AddedToken t : tokens) {
            if (t.content().isEmpty()) {
                throw new IllegalArgumentException("an added token needs a content");
            }
            Integer existing = newIds.get(t.content());
            int id = existing != null ? existing : vocabulary.id(t.content()).orElse(next);
            if (id == next) {
                next++;
            }
            newAdded.put(id, t);
            newIds.put(t.content(), id);
        }
        return new Tokenizer(source, modelType, vocabulary, merges, unkToken, newAdded, newIds);
    }
}
