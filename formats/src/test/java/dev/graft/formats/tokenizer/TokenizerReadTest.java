package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizerReadTest {
    @TempDir
    Path dir;

    @Test
    void readsABpeWithStringMergesAndAddedSpecialTokens() throws IOException {
        Tokenizer t = Tokenizer.read(TinyTokenizers.write(dir, TinyTokenizers.bpe(false)));

        assertThat(t.modelType()).isEqualTo(TokenizerModelType.BPE);
        assertThat(t.modelVocabulary().tokens()).containsExactly("<unk>", "a", "b", "c", "ab", "bc", "abc");
        assertThat(t.merges()).containsExactly(new Merge("a", "b", "ab"), new Merge("ab", "c", "abc"),
                new Merge("b", "c", "bc"));
        assertThat(t.unkToken()).contains("<unk>");
        assertThat(t.size()).isEqualTo(9);
        assertThat(t.modelVocabulary().size()).isEqualTo(7);
        assertThat(t.addedTokens()).containsExactly(
                Map.entry(0, new AddedToken("<unk>", false, false, false, false, true)),
                Map.entry(7, new AddedToken("<|im_start|>", false, false, false, false, true)),
                Map.entry(8, new AddedToken("<|im_end|>", false, false, true, false, true)));
        assertThat(t.id("<|im_end|>")).hasValue(8);
        assertThat(t.id("abc")).hasValue(6);
        assertThat(t.id("ba")).isEmpty();
        assertThat(t.token(7)).contains("<|im_start|>");
        assertThat(t.token(3)).contains("c");
        assertThat(t.token(9)).isEmpty();
        assertThat(t.token(-1)).isEmpty();
        assertThat(t.addedToken("<unk>")).map(AddedToken::special).contains(true);
        assertThat(t.addedToken("a")).isEmpty();
        Map<String, Integer> all = new LinkedHashMap<>();
        String[] order = {"<unk>", "a", "b", "c", "ab", "bc", "abc", "<|im_start|>", "<|im_end|>"};
        for (int i = 0; i < order.length; i++) {
            all.put(order[i], i);
        }
        assertThat(t.vocab()).containsExactlyEntriesOf(all);
    }

    @Test
    void pairMergesReadLikeStringMerges() throws IOException {
        Tokenizer strings = Tokenizer.read(TinyTokenizers.write(dir.resolve("s"), TinyTokenizers.bpe(false)));
        Tokenizer pairs = Tokenizer.read(TinyTokenizers.write(dir.resolve("p"), TinyTokenizers.bpe(true)));
        assertThat(pairs.merges()).containsExactlyElementsOf(strings.merges());
        assertThat(pairs.vocab()).isEqualTo(strings.vocab());
        assertThat(pairs.addedTokens()).isEqualTo(strings.addedTokens());
    }

    @Test
    void skipsVersionLinesAmongStringMergesAsTokenizersDoes() throws IOException {
        ObjectNode root = TinyTokenizers.bpe(false);
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("model").get("merges")).insert(0, "#version: 0.2");
        Tokenizer t = Tokenizer.read(TinyTokenizers.write(dir, root));
        assertThat(t.merges()).hasSize(3);
        assertThat(t.merges().getFirst()).isEqualTo(new Merge("a", "b", "ab"));
    }

    @Test
    void aMergeDropsTheContinuingPrefixOfItsSecondToken() throws IOException {
        ObjectNode root = TinyTokenizers.bpe(false);
        ObjectNode model = (ObjectNode) root.get("model");
        model.put("continuing_subword_prefix", "##");
        ObjectNode vocab = model.putObject("vocab");
        String[] tokens = {"<unk>", "a", "##b", "ab"};
        for (int i = 0; i < tokens.length; i++) {
            vocab.put(tokens[i], i);
        }
        model.putArray("merges").add("a ##b");
        root.putArray("added_tokens");
        Tokenizer t = Tokenizer.read(TinyTokenizers.write(dir, root));
        assertThat(t.merges()).containsExactly(new Merge("a", "##b", "ab"));
        assertThat(t.size()).isEqualTo(4);
    }

    @Test
    void readsAWordPieceWhoseSpecialTokensAreInItsVocabulary() throws IOException {
        Tokenizer t = Tokenizer.read(TinyTokenizers.write(dir, TinyTokenizers.wordPiece()));
        assertThat(t.modelType()).isEqualTo(TokenizerModelType.WORD_PIECE);
        assertThat(t.size()).isEqualTo(8);
        assertThat(t.modelVocabulary().size()).isEqualTo(8);
        assertThat(t.modelVocabulary().tokens())
                .containsExactly("[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "aff");
        assertThat(t.addedTokens().keySet()).containsExactly(0, 1, 2, 3);
        assertThat(t.addedTokens().get(2)).isEqualTo(new AddedToken("[CLS]", false, false, false, false, true));
        assertThat(t.merges()).isEmpty();
        assertThat(t.unkToken()).contains("[UNK]");
        assertThat(t.id("##able")).hasValue(6);
    }

    @Test
    void readsAUnigramWhoseIdsArePositions() throws IOException {
        Tokenizer t = Tokenizer.read(TinyTokenizers.write(dir, TinyTokenizers.unigram()));
        assertThat(t.modelType()).isEqualTo(TokenizerModelType.UNIGRAM);
        assertThat(t.modelVocabulary().tokens()).containsExactly("<pad>", "</s>", "<unk>", "▁a", "▁b", "c");
        assertThat(t.unkToken()).contains("<unk>");
        assertThat(t.size()).isEqualTo(7);
        assertThat(t.id("<extra_id_0>")).hasValue(6);
        assertThat(t.id("▁b")).hasValue(4);
        assertThat(t.addedTokens().keySet()).containsExactly(0, 1, 2, 6);
    }

    @Test
    void readsAWordLevelAndInfersTypesWhereTheFileHasNone() throws IOException {
        ObjectNode wl = TinyTokenizers.wordPiece();
        ObjectNode model = (ObjectNode) wl.get("model");
        model.put("type", "WordLevel");
        model.remove(List.of("continuing_subword_prefix", "max_input_chars_per_word"));
        assertThat(Tokenizer.read(TinyTokenizers.write(dir.resolve("wl"), wl)).modelType())
                .isEqualTo(TokenizerModelType.WORD_LEVEL);

        // serde's untagged fallback: merges make a BPE, a list vocabulary a Unigram, anything else a WordPiece.
        ObjectNode bpe = TinyTokenizers.bpe(false);
        ((ObjectNode) bpe.get("model")).remove("type");
        assertThat(Tokenizer.read(TinyTokenizers.write(dir.resolve("b"), bpe)).modelType())
                .isEqualTo(TokenizerModelType.BPE);
        ObjectNode uni = TinyTokenizers.unigram();
        ((ObjectNode) uni.get("model")).remove("type");
        assertThat(Tokenizer.read(TinyTokenizers.write(dir.resolve("u"), uni)).modelType())
                .isEqualTo(TokenizerModelType.UNIGRAM);
        ((ObjectNode) wl.get("model")).remove("type");
        assertThat(Tokenizer.read(TinyTokenizers.write(dir.resolve("w"), wl)).modelType())
                .isEqualTo(TokenizerModelType.WORD_PIECE);
    }

    @Test
    void addTokensFollowsTokenizersAddTokens() throws IOException {
        Tokenizer t = Tokenizer.read(TinyTokenizers.write(dir, TinyTokenizers.bpe(false)));
        Tokenizer more = t.addTokens(List.of(
                AddedToken.of("<tool>", true),                                 // new: next id
                AddedToken.of("abc", false),                                   // in the vocabulary: its id
                new AddedToken("<|im_end|>", false, false, false, false, true), // already added: new flags
                AddedToken.of("<think>", false)));
        assertThat(more.size()).isEqualTo(11);
        assertThat(more.addedTokens()).containsExactly(
                Map.entry(0, new AddedToken("<unk>", false, false, false, false, true)),
                Map.entry(6, new AddedToken("abc", false, false, false, true, false)),
                Map.entry(7, new AddedToken("<|im_start|>", false, false, false, false, true)),
                Map.entry(8, new AddedToken("<|im_end|>", false, false, false, false, true)),
                Map.entry(9, new AddedToken("<tool>", false, false, false, false, true)),
                Map.entry(10, new AddedToken("<think>", false, false, false, true, false)));
        assertThat(t.size()).as("unchanged").isEqualTo(9);
    }
}
