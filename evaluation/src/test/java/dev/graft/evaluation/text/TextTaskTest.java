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
        assertThat(TaskExamples.of(TextTask.MAXIMUM, Split.TEST, 1, 2)).containsExactly(
                new TextExample("max 89 94 44?", "94"), new TextExample("max 80 47 89 47 70?", "89"));
        assertThat(TaskExamples.of(TextTask.DOUBLING, Split.TEST, 1, 2)).containsExactly(
                new TextExample("dup(owtv)", "oowwttvv"), new TextExample("dup(qcmp)", "qqccmmpp"));
        assertThat(TaskExamples.of(TextTask.LAST, Split.TEST, 1, 2)).containsExactly(
                new TextExample("last ogni!", "i"), new TextExample("last nqysm!", "m"));
        assertThat(TaskExamples.of(TextTask.FIRST, Split.TEST, 1, 2)).containsExactly(
                new TextExample("first xdjadw*", "x"), new TextExample("first xttaq*", "x"));
        assertThat(TaskExamples.of(TextTask.SMALLEST, Split.TEST, 1, 2)).containsExactly(
                new TextExample("min sxhrca&", "a"), new TextExample("min zjf&", "f"));
        assertThat(TaskExamples.of(TextTask.SUCCESSOR, Split.TEST, 1, 2)).containsExactly(
                new TextExample("succ qo>", "p"), new TextExample("succ psyuf>", "g"));
        assertThat(TaskExamples.of(TextTask.CAPITAL, Split.TEST, 1, 2)).containsExactly(
                new TextExample("cap ust^", "U"), new TextExample("cap jain^", "J"));
        assertThat(TaskExamples.of(TextTask.COMPARISON, Split.TEST, 1, 2)).containsExactly(
                new TextExample("19?36", "<"), new TextExample("95?76", ">"));
        assertThat(TaskExamples.of(TextTask.COPY, Split.TEST, 1, 2)).containsExactly(
                new TextExample("copy tmepz:", "tmepz"), new TextExample("copy nim:", "nim"));
        assertThat(TaskExamples.of(TextTask.LENGTH, Split.TEST, 1, 2)).containsExactly(
                new TextExample("len rybhdgoo%", "8"), new TextExample("len zeuovzuvf%", "9"));
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
                "binary", "cipher", "maximum", "doubling", "last", "first", "smallest", "successor", "capital", "comparison", "copy",
                "length");
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
    void theMixtureHoldsSentencesAnswerlessPromptsAndAnsweredExamples() {
        List<TextTask> tasks = List.of(TextTask.ADDITION, TextTask.DEPTH);
        PretrainingText text = new PretrainingText(1, 0.3, 0.4, tasks);
        int prompts = 0;
        int answered = 0;
        for (int i = 0; i < 500; i++) {
            TokenSequence s = text.next();
            assertThat(s.predicted()).as("every token after BOS is predicted").containsOnly(false, true)
                    .startsWith(false).endsWith(true);
            boolean ends = s.tokens()[s.length() - 1] == ByteVocabulary.EOS;
            String body = ByteVocabulary.decode(s.tokens(), 1, ends ? s.length() - 1 : s.length());
            if (!ends) {
                prompts++;
                assertThat(body).matches("\\d+\\+\\d+=|depth [()]+ =");
                assertThat(Split.of(body)).isEqualTo(Split.TRAIN);
            } else if (body.endsWith(".")) {
                assertThat(body).matches("(the|a|one|every|some) [a-z ]+ \\d+ [a-z]+( near [a-z])?\\.");
            } else {
                answered++;
                assertThat(body).matches("(\\d+)\\+(\\d+)=\\d+|depth [()]+ =\\d");
                String prompt = body.startsWith("depth") ? body.substring(0, body.length() - 1)
                        : body.substring(0, body.indexOf('=') + 1);
                assertThat(Split.of(prompt)).isEqualTo(Split.TRAIN);
                if (!body.startsWith("depth")) {
                    String[] n = body.split("[+=]");
                    assertThat(Integer.parseInt(n[0]) + Integer.parseInt(n[1])).isEqualTo(Integer.parseInt(n[2]));
                }
            }
            assertThat(s.length()).isLessThanOrEqualTo(48);
        }
        assertThat(prompts).isBetween(110, 190);
        assertThat(answered).isBetween(160, 240);
        assertThatThrownBy(() -> new PretrainingText(1, 0.6, 0.5, tasks))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prompt share 0.6 and answer shares [0.25, 0.25] must be at least 0 and add up to at most 1");
    }

    @Test
    void eachTaskGetsItsOwnShareOfAnsweredExamples() {
        PretrainingText text = new PretrainingText(1, 0.2, List.of(0.1, 0.3), List.of(TextTask.ADDITION,
                TextTask.DEPTH));
        int additions = 0;
        int depths = 0;
        for (int i = 0; i < 20_000; i++) {
            TokenSequence s = text.next();
            if (s.tokens()[s.length() - 1] != ByteVocabulary.EOS) {
                continue;
            }
            String body = ByteVocabulary.decode(s.tokens(), 1, s.length() - 1);
            additions += body.matches("\\d+\\+\\d+=\\d+") ? 1 : 0;
            depths += body.startsWith("depth") ? 1 : 0;
        }
        // 2,000 and 6,000 expected of 20,000 draws (binomial standard deviations 42 and 65)
        assertThat(additions).isBetween(1850, 2150);
        assertThat(depths).isBetween(5800, 6200);
        assertThatThrownBy(() -> new PretrainingText(1, 0.2, List.of(0.1), List.of(TextTask.ADDITION,
                TextTask.DEPTH))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("1 answer shares for 2 tasks");
    }
}
