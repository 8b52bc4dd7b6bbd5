package dev.graft.formats.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LegacyBpeReaderTest {
    @TempDir
    Path dir;

    private Path vocab;
    private Path merges;

    private void files(String vocabJson, String mergesTxt) throws IOException {
        vocab = Files.writeString(dir.resolve("vocab.json"), vocabJson);
        merges = Files.writeString(dir.resolve("merges.txt"), mergesTxt);
    }

    @Test
    void readsLinesAsTheTokenizersLibraryDoes() throws IOException {
        files("{\"a\": 0, \"b\": 1, \"ab\": 2, \"c\": 3, \"abc\": 4}", "#version: 0.2\r\na b\r\nab c");
        Tokenizer t = Tokenizer.readVocabAndMerges(vocab, merges, null);
        assertThat(t.merges()).containsExactly(new Merge("a", "b", "ab"), new Merge("ab", "c", "abc"));
        assertThat(t.size()).isEqualTo(5);
        assertThat(t.modelType()).isEqualTo(TokenizerModelType.BPE);
        assertThat(t.addedTokens()).isEmpty();
    }

    @Test
    void namesTheFileAndLineAtFault() throws IOException {
        files("{\"a\": 0, \"b\": 1, \"ab\": 2}", "#version: 0.2\na b\n\n");
        assertThatThrownBy(() -> Tokenizer.readVocabAndMerges(vocab, merges, null))
                .isInstanceOf(TokenizerFormatException.class)
                .hasMessage(merges + ": line 3 \"\" is not two tokens separated by one space");
        files("{\"a\": 0, \"b\": 1, \"ab\": 2}", "a b\nb a\n");
        assertThatThrownBy(() -> Tokenizer.readVocabAndMerges(vocab, merges, null))
                .hasMessage(merges + ": line 2 (\"b\", \"a\"): their merge \"ba\" is not in the vocabulary");
        files("{\"a\": 0, \"b\": 1, \"ab\": 3}", "a b\n");
        assertThatThrownBy(() -> Tokenizer.readVocabAndMerges(vocab, merges, null))
                .hasMessage(vocab + ": vocab.json gives \"ab\" id 3, out of range: its 3 entries must have the"
                        + " ids 0..2");
        files("{\"a\": 0, \"b\": 1, \"ab\": 2}", "a b\n");
        Path added = Files.writeString(dir.resolve("added_tokens.json"), "{\"<x>\": 4}");
        assertThatThrownBy(() -> Tokenizer.readVocabAndMerges(vocab, merges, added))
                .hasMessage(added + ": added token \"<x>\" has id 4, but it would be loaded as id 3 (tokens outside"
                        + " the vocabulary of 3 take the next ids, in added_tokens.json order)");
        Files.write(merges, new byte[]{'a', ' ', 'b', '\n', (byte) 0xff});
        assertThatThrownBy(() -> Tokenizer.readVocabAndMerges(vocab, merges, null))
                .hasMessage(merges + ": not UTF-8 text");
    }
}
