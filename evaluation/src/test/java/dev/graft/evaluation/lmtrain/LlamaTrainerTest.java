package dev.graft.evaluation.lmtrain;

import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.text.PretrainingText;
import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.text.TaskExamples;
import dev.graft.evaluation.text.TextExample;
import dev.graft.evaluation.text.TextTask;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class LlamaTrainerTest {
    private static final LlamaShape SHAPE = new LlamaShape(ByteVocabulary.SIZE, 16, 24, 1, 2, 1, 48, 10000, 1e-5);
    private static final TrainingSchedule SHORT = new TrainingSchedule(4, 10, 3e-3, 1);
    private static final Supplier<PretrainingText> MIXTURE = () -> new PretrainingText(2, 0.3, 0.3,
            List.of(TextTask.values()));

    @Test
    void trainingGivesTheSameBitsAtAnyThreadCount() {
        LlamaWeights one = new LlamaTrainer(1, line -> { }).pretrain(SHAPE, 2, MIXTURE.get(), SHORT);
        LlamaWeights three = new LlamaTrainer(3, line -> { }).pretrain(SHAPE, 2, MIXTURE.get(), SHORT);
        LlamaWeights eight = new LlamaTrainer(8, line -> { }).pretrain(SHAPE, 2, MIXTURE.get(), SHORT);
        for (int t = 0; t < SHAPE.tensorCount(); t++) {
            assertThat(three.params().tensor(t)).as(SHAPE.names().get(t)).containsExactly(one.params().tensor(t));
            assertThat(eight.params().tensor(t)).as(SHAPE.names().get(t)).containsExactly(one.params().tensor(t));
        }
        // and it trained: the weights moved from where they started
        assertThat(one.params().tensor(0)).isNotEqualTo(LlamaWeights.initial(SHAPE, 2).params().tensor(0));
    }

    @Test
    void fineTuningLowersTheTasksLossAndLeavesTheBaseAlone() {
        LlamaWeights base = LlamaWeights.initial(SHAPE, 4);
        float[] before = base.params().tensor(1).clone();
        List<String> log = new ArrayList<>();
        LlamaWeights tuned = new LlamaTrainer(2, log::add).fineTune(base, TextTask.LOOKUP, 4,
                new TrainingSchedule(30, 16, 1e-2, 3));
        List<TextExample> val = TaskExamples.of(TextTask.LOOKUP, Split.VALIDATION, 4, 32);
        TaskScorer scorer = new TaskScorer(SHAPE, 2);
        double start = scorer.score(base, TextTask.LOOKUP, val).lossPerToken();
        double end = scorer.score(tuned, TextTask.LOOKUP, val).lossPerToken();
        assertThat(end).isLessThan(start - 1);
        assertThat(base.params().tensor(1)).containsExactly(before);
        assertThat(log).hasSize(10).first().asString().startsWith("lookup: step 3 of 30, loss ");
    }

    @Test
    void scoresAreTheSameAtAnyThreadCount() {
        LlamaWeights w = LlamaWeights.initial(SHAPE, 6);
        List<TextExample> test = TaskExamples.of(TextTask.BINARY, Split.TEST, 6, 20);
        TaskScore one = new TaskScorer(SHAPE, 1).score(w, TextTask.BINARY, test);
        TaskScore four = new TaskScorer(SHAPE, 4).score(w, TextTask.BINARY, test);
        assertThat(four).isEqualTo(one);
        assertThat(one.examples()).isEqualTo(20);
        assertThat(one.correct()).isZero();
        // an untrained model is near uniform over the 259 tokens: ln 259 = 5.56 nats
        assertThat(one.lossPerToken()).isBetween(4.5, 7.0);
    }

    @Test
    void theScheduleWarmsUpThenDecaysToATenth() {
        TrainingSchedule s = new TrainingSchedule(11, 4, 1.0, 2);
        assertThat(s.rateAt(0)).isEqualTo(0.5);
        assertThat(s.rateAt(1)).isEqualTo(1.0);
        assertThat(s.rateAt(2)).isEqualTo(1.0);
        assertThat(s.rateAt(11)).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
    }
}
