package dev.graft.evaluation.lmtrain;

import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.text.TaskExamples;
import dev.graft.evaluation.text.TextExample;
import dev.graft.evaluation.text.TextTask;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TaskScorerTest {
    private static final LlamaShape SHAPE = new LlamaShape(ByteVocabulary.SIZE, 16, 24, 1, 2, 1, 48, 10000, 1e-5);

    @Test
    void accuracyWithoutDecodingIsTheDecodedScoresAccuracy() {
        LlamaWeights tuned = new LlamaTrainer(2, line -> { }).fineTune(LlamaWeights.initial(SHAPE, 4),
                TextTask.LOOKUP, 4, new TrainingSchedule(120, 16, 1e-2, 10));
        TaskScorer scorer = new TaskScorer(SHAPE, 2);
        List<TextExample> val = TaskExamples.of(TextTask.LOOKUP, Split.VALIDATION, 4, 24);
        TaskScore decoded = scorer.score(tuned, TextTask.LOOKUP, val);
        // each prompt twice: with its own answer, and with what the model answers (right by construction) where
        // that text is the model's tokens again
        List<TextExample> mixed = new ArrayList<>();
        int own = 0;
        for (int i = 0; i < val.size(); i++) {
            mixed.add(val.get(i));
            String said = decoded.outputs().get(i);
            if (!said.isEmpty() && said.chars().allMatch(c -> c >= 32 && c < 127)) {
                mixed.add(new TextExample(val.get(i).prompt(), said));
                own++;
            }
        }
        System.out.println("OUT " + decoded.outputs() + " " + val);
        TaskScore all = scorer.score(tuned, TextTask.LOOKUP, mixed);
        assertThat(own).isGreaterThan(12);
        assertThat(all.correct()).isGreaterThanOrEqualTo(own).isLessThan(mixed.size());
        assertThat(scorer.accuracy(tuned, TextTask.LOOKUP, mixed)).isEqualTo(all.accuracy());
        assertThat(new TaskScorer(SHAPE, 1).accuracy(tuned, TextTask.LOOKUP, mixed)).isEqualTo(all.accuracy());
    }
}
