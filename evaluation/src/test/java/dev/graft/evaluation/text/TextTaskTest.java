package dev.graft.evaluation.text;

import dev.graft.evaluation.llama.ByteVocabulary;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextTaskTest {
    @Test
    void eachTaskHasItsOwnFormatAndTheRightAnswers() {
        // the first two test examples of seed 1, every answer worked out by hand
        assertThat(TaskExamples.of(TextTask.ADDITION, Split.TEST, 1, 2)).containsExactly(
                new TextExample("94+76=", "170"), new TextExample("49+73=", "122"));
        assertThat(TaskExamples.of(TextTask.REVERSAL, Split.TEST, 1, 2)).containsExactly(
                new TextExample("reverse hypf:", "fpyh"), new TextExample("reverse urwcx:", "xcwru"));
        assertThat(TaskExamples.of(TextTask.SORTING, Split.TEST, 1, 2)).containsExactly(
                new TextExample("sort(itp)", "ipt"), new TextExample("sort(ddseht)", "ddehst"));
        assertThat(TaskExamples.of(TextTask.COUNTING, Split.TEST, 1, 2)).containsExactly(
                new TextExample("#c in aaac?", "1"), new TextExample("#c in adcdbccd?", "3"));
        assertThat(TaskExamples.of(TextTask.DEPTH, Split.TEST, 1, 2)).containsExactly(
                new TextExample("depth ((()())()) =", "3"), new TextExample("depth ()()()(())() =", "2"));
        assertThat(TaskExamples.of(TextTask.LOOKUP, Split.TEST, 1, 2)).containsExactly(
                new TextExample("d=6,k=4,q=9,n=5;k", "4"), new TextExample("e=3,z=1,a=6;e", "3"));
        assertThat(TaskExamples.of(TextTask.BINARY, Split.TEST, 1, 2)).containsExactly(
                new TextExample("bin 464 is", "111010000"), new TextExample("bin 396 is", "110001100"));
        assertThat(TaskExamples.of(TextTask.CIPHER, Split.TEST, 1, 2)).containsExactly(
                new TextExample("enc[edoj]", "trgp"), new TextExample("enc[sgi]", "luo"));
    }

    @Test
    void noTestOrValidationPromptIsEverATrainingPrompt() {
        for (TextTask task : TextTask.values()) {
            Set<String> train = new HashSet<>();
            TaskExamples.of(task, Split.TRAIN, 7, 3000).forEach(e -> train.add(e.prompt()));
            for (Split held : List.of(Split.VALIDATION, Split.TEST)) {
                for (TextExample e : TaskExamples.of(task, held, 7, 300)) {
                    assertThat(train).as(task.id()).doesNotContain(e.prompt());
                    assertThat(Split.of(e.prompt())).isEqualTo(held);
                }
            }
        }
    }

    @Test
    void promptsAndAnswersFitTheDeclaredLengths() {
        for (TextTask task : TextTask.values()) {
            for (TextExample e : TaskExamples.of(task, Split.TRAIN, 3, 2000)) {
                assertThat(e.prompt().length()).as(e.prompt()).isLessThanOrEqualTo(TextTask.MAX_PROMPT);
                assertThat(e.answer().length()).as(e.prompt()).isLessThanOrEqualTo(TextTask.MAX_ANSWER);
            }
        }
    }

    @Test
    void theCipherIsAPermutationWithoutFixedLetters() {
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 26; i++) {
            char c = TextTask.CIPHER_KEY.charAt(i);
            assertThat(c).isNotEqualTo((char) ('a' + i)).isBetween('a', 'z');
            seen.add(c);
        }
        assertThat(seen).hasSize(26);
    }

    @Test
    void tasksAreNamedForTheCommandLine() {
        assertThat(TextTask.ids()).containsExactly("addition", "reversal", "sorting", "counting", "depth", "lookup",
                "binary", "cipher");
        assertThat(TextTask.byId("Lookup")).contains(TextTask.LOOKUP);
        assertThat(TextTask.byId("parity")).isEmpty();
    }

    @Test
    void aFineTuningSequencePredictsTheAnswerAndItsEnd() {
        TokenSequence s = TokenSequence.answer(new TextExample("9+3=", "12"));
        assertThat(s.tokens()).containsExactly(ByteVocabulary.BOS, '9', '+', '3', '=', '1', '2', ByteVocabulary.EOS);
        assertThat(s.predicted()).containsExactly(false, false, false, false, false, true, true, true);
        assertThat(s.predictedCount()).isEqualTo(3);
    }

    @Test
    void aPretrainingSequencePredictsEveryTokenAfterBos() {
        TokenSequence prompt = TokenSequence.text("ab", false);
        assertThat(prompt.tokens()).containsExactly(ByteVocabulary.BOS, 'a', 'b');
        assertThat(prompt.predicted()).containsExactly(false, true, true);
        assertThat(TokenSequence.text("ab", true).tokens()).containsExactly(ByteVocabulary.BOS, 'a', 'b',
                ByteVocabulary.EOS);
        assertThatThrownBy(() -> new TokenSequence(new int[] {'a', 'b'}, new boolean[2]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMixtureHoldsSentencesAndAnswerlessPrompts() {
        PretrainingText text = new PretrainingText(1, 0.5);
        int prompts = 0;
        for (int i = 0; i < 400; i++) {
            TokenSequence s = text.next();
            boolean ends = s.tokens()[s.length() - 1] == ByteVocabulary.EOS;
            String body = ByteVocabulary.decode(s.tokens(), 1, s.length());
            if (ends) {
                assertThat(body).matches("(the|a|one|every|some) [a-z ]+ \\d+ [a-z]+( near [a-z])?\\.");
            } else {
                prompts++;
                assertThat(Split.of(body)).isEqualTo(Split.TRAIN);
            }
            assertThat(s.length()).isLessThanOrEqualTo(48);
        }
        assertThat(prompts).isBetween(160, 240);
    }
}
