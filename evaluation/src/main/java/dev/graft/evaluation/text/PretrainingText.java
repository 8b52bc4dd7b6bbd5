package dev.graft.evaluation.text;

import dev.graft.evaluation.data.Seeds;

import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The pre-training mixture: sentences from a small grammar (words, numbers, letters in varied orders), some tasks'
 * prompts without their answers, and (at the share asked) their training examples with the answers. Without
 * answers the model learns the bytes, the formats and where prompts end but no task, so its accuracy starts near
 * zero; with a share of answered examples it becomes partly competent, as a pre-trained model is on the tasks the
 * task-vector papers merge, and fine-tuning has less to move.
 */
public final class PretrainingText {
    private static final List<String> ARTICLES = List.of("the", "a", "one", "every", "some");
    private static final List<String> ADJECTIVES = List.of("red", "small", "quiet", "old", "quick", "green", "odd");
    private static final List<String> NOUNS = List.of("fox", "cat", "tree", "box", "bird", "key", "river", "stone");
    private static final List<String> VERBS = List.of("sees", "finds", "holds", "moves", "counts", "keeps", "opens");

    private final SplittableRandom rng;
    private final TaskExamples[] prompts;
    private final double promptShare;
    /** Cumulative answered shares: task k's answered examples are the draws in [answerEnds[k-1], answerEnds[k]). */
    private final double[] answerEnds;

    /**
     * A mixture whose answered examples are shared equally among the tasks.
     *
     * @param promptShare fraction of sequences that are task prompts without their answers
     * @param answerShare fraction of sequences that are task examples with their answers (the rest are grammar
     *                    sentences)
     * @param tasks       the tasks whose prompts and examples the mixture draws, in equal shares
     */
    public PretrainingText(long seed, double promptShare, double answerShare, List<TextTask> tasks) {
        this(seed, promptShare, equalShares(answerShare, tasks.size()), tasks);
    }

    /**
     * A mixture with a share of answered examples per task, so that the pre-trained model can be made partly
     * competent on each task to the degree chosen (a skill the base already has needs a smaller share).
     *
     * @param promptShare  fraction of sequences that are task prompts without their answers (tasks drawn equally)
     * @param answerShares per task of {@code tasks}, the fraction of sequences that are its examples with answers
     */
    public PretrainingText(long seed, double promptShare, List<Double> answerShares, List<TextTask> tasks) {
        if (answerShares.size() != tasks.size()) {
            throw new IllegalArgumentException(answerShares.size() + " answer shares for " + tasks.size()
                    + " tasks");
        }
        double answerShare = answerShares.stream().mapToDouble(Double::doubleValue).sum();
        if (!(promptShare >= 0 && answerShares.stream().allMatch(a -> a >= 0) && promptShare + answerShare <= 1)) {
            throw new IllegalArgumentException("prompt share " + promptShare + " and answer shares " + answerShares
                    + " must be at least 0 and add up to at most 1");
        }
        if (tasks.isEmpty() && promptShare > 0) {
            throw new IllegalArgumentException("a mixture with task prompts needs at least one task");
        }
        this.rng = Seeds.stream(seed, "text:pretraining", 0);
        this.promptShare = promptShare;
        this.prompts = new TaskExamples[tasks.size()];
        this.answerEnds = new double[tasks.size()];
        double end = 0;
        for (int i = 0; i < prompts.length; i++) {
            prompts[i] = new TaskExamples(tasks.get(i), Split.TRAIN, seed);
            end += answerShares.get(i);
            answerEnds[i] = end;
        }
    }

    private static List<Double> equalShares(double total, int tasks) {
        if (tasks == 0 && total > 0) {
            throw new IllegalArgumentException("a mixture with task prompts needs at least one task");
        }
        return Collections.nCopies(tasks, total / Math.max(1, tasks));
    }

    /** The next sequence of the mixture. */
    public TokenSequence next() {
        double u = rng.nextDouble();
        double answered = answerEnds.length == 0 ? 0 : answerEnds[answerEnds.length - 1];
        if (u < answered) {
            int k = 0;
            while (u >= answerEnds[k]) {
                k++;
            }
            TextExample e = prompts[k].next();
            return TokenSequence.text(e.prompt() + e.answer(), true);
        }
        if (u < answered + promptShare) {
            return TokenSequence.text(prompts[rng.nextInt(prompts.length)].next().prompt(), false);
        }
        return TokenSequence.text(sentence(), true);
    }

    /** A grammar sentence of at most 40 bytes, e.g. {@code the odd fox counts 3 keys.}. */
    String sentence() {
        StringBuilder s = new StringBuilder(pick(ARTICLES)).append(' ');
        if (rng.nextBoolean()) {
            s.append(pick(ADJECTIVES)).append(' ');
        }
        s.append(pick(NOUNS)).append(' ').append(pick(VERBS)).append(' ');
        int n = rng.nextInt(20);
        s.append(n).append(' ').append(pick(NOUNS)).append(n == 1 ? "" : "s");
        if (rng.nextInt(3) == 0) {
            s.append(" near ").append((char) ('a' + rng.nextInt(26)));
        }
        return s.append('.').toString();
    }

    private String pick(List<String> words) {
        return words.get(rng.nextInt(words.size()));
    }
}
