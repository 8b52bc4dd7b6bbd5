package dev.graft.evaluation.lmtrain;

import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.GreedyDecoder;
import dev.graft.evaluation.llama.LlamaPass;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.llama.WideWeights;
import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.text.TaskExamples;
import dev.graft.evaluation.text.TextExample;
import dev.graft.evaluation.text.TextTask;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TaskScorer#exactMatches} (teacher-forced, first wrong token, shared prefixes) against plain greedy decoding
 * of every prompt on a fresh pass, on decoders trained here from fixed seeds, with answers built to be right and to
 * go wrong at every position.
 */
class TaskScorerTest {
    private static final LlamaShape SHAPE = new LlamaShape(ByteVocabulary.SIZE, 16, 24, 1, 2, 1, 48, 10000, 1e-5);

    @Test
    void exactMatchesDecideEveryExampleAsFullDecodingDoes() {
        LlamaWeights base = LlamaWeights.initial(SHAPE, 4);
        LlamaTrainer trainer = new LlamaTrainer(2, line -> { });
        List<LlamaWeights> models = List.of(base,
                trainer.fineTune(base, TextTask.LOOKUP, 4, new TrainingSchedule(120, 16, 1e-2, 10)),
                trainer.fineTune(base, TextTask.COUNTING, 5, new TrainingSchedule(120, 16, 1e-2, 10)));
        List<TextTask> tasks = List.of(TextTask.BINARY, TextTask.LOOKUP, TextTask.COUNTING);
        int right = 0;
        int wrong = 0;
        for (int m = 0; m < models.size(); m++) {
            LlamaWeights model = models.get(m);
            TextTask task = tasks.get(m);
            List<TextExample> mixed = variants(model.widened(), TaskExamples.of(task, Split.VALIDATION, 4, 24));
            boolean[] expected = new boolean[mixed.size()];
            for (int i = 0; i < mixed.size(); i++) {
                expected[i] = decodes(model.widened(), mixed.get(i));
                right += expected[i] ? 1 : 0;
                wrong += expected[i] ? 0 : 1;
            }
            for (int threads : new int[] {1, 2}) {
                TaskScorer scorer = new TaskScorer(SHAPE, threads);
                assertThat(scorer.exactMatches(model, task, mixed)).as("model %d, %d threads", m, threads)
                        .containsExactly(expected);
                assertThat(scorer.accuracy(model, task, mixed))
                        .isEqualTo(scorer.score(model, task, mixed).accuracy());
            }
        }
        // both decisions, many times each
        assertThat(right).isEqualTo(58);
        assertThat(wrong).isEqualTo(158);
    }

    /** Plain greedy decoding on a fresh pass: the answer and then EOS. */
    private static boolean decodes(WideWeights w, TextExample e) {
        int[] got = new GreedyDecoder(new LlamaPass(SHAPE, TaskScorer.POSITIONS), w).continuation(
                ByteVocabulary.encodeWithBos(e.prompt()), TextTask.MAX_ANSWER + 1, ByteVocabulary.EOS);
        return Arrays.equals(got, ByteVocabulary.encode(e.answer()));
    }

    /**
     * Each example, and where the model's own output is printable text: that output (right by construction), the
     * output with each byte in turn changed, cut short by its last byte (answers are not empty), and with a byte more.
     */
    private static List<TextExample> variants(WideWeights w, List<TextExample> examples) {
        List<TextExample> out = new ArrayList<>();
        for (TextExample e : examples) {
            out.add(e);
            int[] said = new GreedyDecoder(new LlamaPass(SHAPE, TaskScorer.POSITIONS), w).continuation(
                    ByteVocabulary.encodeWithBos(e.prompt()), TextTask.MAX_ANSWER + 1, ByteVocabulary.EOS);
            if (said.length == 0 || said.length > TextTask.MAX_ANSWER
                    || !Arrays.stream(said).allMatch(t -> t >= 32 && t < 127)) {
                continue;
            }
            String own = ByteVocabulary.decode(said, 0, said.length);
            out.add(new TextExample(e.prompt(), own));
            for (int k = 0; k < own.length(); k++) {
                char changed = own.charAt(k) == '~' ? ' ' : (char) (own.charAt(k) + 1);
                out.add(new TextExample(e.prompt(), own.substring(0, k) + changed + own.substring(k + 1)));
            }
            if (own.length() > 1) {
                out.add(new TextExample(e.prompt(), own.substring(0, own.length() - 1)));
            }
            if (own.length() < TextTask.MAX_ANSWER) {
                out.add(new TextExample(e.prompt(), own + own.charAt(0)));
            }
        }
        return out;
    }
}
