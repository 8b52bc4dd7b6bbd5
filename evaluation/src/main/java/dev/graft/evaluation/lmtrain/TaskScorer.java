package dev.graft.evaluation.lmtrain;

import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.GreedyDecoder;
import dev.graft.evaluation.llama.LlamaPass;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.llama.WideWeights;
import dev.graft.evaluation.text.TextExample;
import dev.graft.evaluation.text.TextTask;
import dev.graft.evaluation.text.TokenSequence;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Scores a byte-level Llama on a task's examples: greedy decoding from {@code BOS prompt} must give exactly the
 * answer and then {@code EOS}; the loss is the teacher-forced cross-entropy of the answer and its {@code EOS}.
 * Examples run in parallel, each on its own, so scores do not depend on the thread count.
 */
public final class TaskScorer {
    /** Positions a task example needs: {@code BOS}, prompt, answer and one token past it to see {@code EOS}. */
    public static final int POSITIONS = 1 + TextTask.MAX_PROMPT + TextTask.MAX_ANSWER + 2;

    private final LlamaShape shape;
    private final Lanes lanes;

    /**
     * @throws IllegalArgumentException when the model has fewer than {@link #POSITIONS} positions
     */
    public TaskScorer(LlamaShape shape, int threads) {
        if (shape.maxPositions() < POSITIONS) {
            throw new IllegalArgumentException("the tasks need " + POSITIONS + " positions; the model has "
                    + shape.maxPositions());
        }
        this.shape = shape;
        this.lanes = new Lanes(shape, POSITIONS, threads);
    }

    /** The score of {@code weights} on {@code examples} of {@code task}. */
    public TaskScore score(LlamaWeights weights, TextTask task, List<TextExample> examples) {
        WideWeights w = widened(weights);
        boolean[] right = new boolean[examples.size()];
        double[] loss = new double[examples.size()];
        int[] tokens = new int[examples.size()];
        String[] outputs = new String[examples.size()];
        lanes.forEach(examples.size(), (lane, pass, i) -> {
            TextExample e = examples.get(i);
            TokenSequence s = TokenSequence.answer(e);
            loss[i] = pass.loss(w, s.tokens(), s.length(), s.predicted(), 1, null);
            tokens[i] = s.predictedCount();
            int[] got = new GreedyDecoder(pass, w).continuation(ByteVocabulary.encodeWithBos(e.prompt()),
                    TextTask.MAX_ANSWER + 1, ByteVocabulary.EOS);
            right[i] = Arrays.equals(got, ByteVocabulary.encode(e.answer()));
            outputs[i] = ByteVocabulary.decode(got, 0, got.length);
        });
        int correct = 0;
        double total = 0;
        int count = 0;
        for (int i = 0; i < right.length; i++) {
            correct += right[i] ? 1 : 0;
            total += loss[i];
            count += tokens[i];
        }
        return new TaskScore(task.id(), examples.size(), correct, count == 0 ? 0 : total / count,
                Arrays.asList(outputs));
    }

    /**
     * The exact-match accuracy of {@code weights} on {@code examples} of {@code task}, 0 to 1, the same as
     * {@link #score}'s: the share of {@link #exactMatches} that hold.
     */
    public double accuracy(LlamaWeights weights, TextTask task, List<TextExample> examples) {
        int correct = 0;
        for (boolean r : exactMatches(weights, task, examples)) {
            correct += r ? 1 : 0;
        }
        return examples.isEmpty() ? 0 : (double) correct / examples.size();
    }

    /**
     * Per example, whether greedy decoding gives exactly its answer and then {@code EOS}, as {@link #score} decides
     * it, for the evaluation's many merges at a fraction of the cost: no teacher-forced loss, each example decided
     * by {@link GreedyDecoder#gives} (prompt and answer run together, stopping at the first wrong token), and the
     * examples taken in sorted order so that each lane's pass computes the prefix a prompt shares with the one
     * before it only once ({@link LlamaPass#extend}). Neither changes a decision: a position's bits do not depend on
     * what was run before it nor on how many positions ran together.
     */
    public boolean[] exactMatches(LlamaWeights weights, TextTask task, List<TextExample> examples) {
        WideWeights w = widened(weights);
        Integer[] order = new Integer[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing((Integer i) -> examples.get(i).prompt())
                .thenComparing(i -> examples.get(i).answer()));
        boolean[] right = new boolean[examples.size()];
        lanes.forEachRun(order.length, (lane, pass, j) -> {
            TextExample e = examples.get(order[j]);
            right[order[j]] = new GreedyDecoder(pass, w).gives(ByteVocabulary.encodeWithBos(e.prompt()),
                    ByteVocabulary.encode(e.answer()), ByteVocabulary.EOS);
        });
        return right;
    }

    private WideWeights widened(LlamaWeights weights) {
        if (!weights.shape().equals(shape)) {
            throw new IllegalArgumentException("weights of shape " + weights.shape() + " for a scorer of " + shape);
        }
        return weights.widened();
    }
}
