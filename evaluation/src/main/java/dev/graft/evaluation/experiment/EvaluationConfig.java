package dev.graft.evaluation.experiment;

import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.lmtrain.TrainingSchedule;
import dev.graft.evaluation.text.TextTask;

import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Everything that defines an evaluation run; the same config gives the same numbers.
 *
 * @param seeds              the seeds (one replicate each: fine-tuning data and order, the random methods' draws)
 * @param taskCounts         the numbers of tasks merged (the first n of {@code tasks}); the largest is the number of
 *                           tasks fine-tuned
 * @param tasks              the tasks, in merge order
 * @param methods            the merge methods compared, as {@link MethodGrid} names them (a subset of
 *                           {@link MethodGrid#FAMILIES})
 * @param shape              the decoder's sizes
 * @param pretrainingSeed    the seed of the one pre-training every replicate starts from
 * @param promptShare        share of pre-training sequences that are task prompts without their answers
 * @param mixtureTasks       the tasks of the pre-training mixture, in the order its draws map to them (its own
 *                           order, so that the merge order of {@code tasks} can change without changing the base);
 *                           every task of {@code tasks} is among them
 * @param answerShares       per task of {@code mixtureTasks}, the share of pre-training sequences that are its examples with
 *                           their answers (what makes the base partly competent on it)
 * @param pretraining        the pre-training's schedule
 * @param fineTuning         each fine-tune's schedule; its steps are a cap, unless {@code fineTuneSteps} gives the
 *                           task its own
 * @param fineTuneSteps      per task of {@code tasks}, the Adam steps of its fine-tune (its schedule's cosine runs
 *                           over them, and they cap it); empty: {@code fineTuning}'s steps for every task. A fine-tune
 *                           of a fixed length ends at the bottom of its schedule, where its weights settle, instead of
 *                           wherever an early stop finds it, so its task vector differs less from seed to seed
 *                           (docs/llama-evaluation.md, "Fixed-length fine-tunes and ten seeds at 4 tasks")
 * @param tuned              which tensors a fine-tune updates
 * @param stopAccuracy       the validation exact match at which a fine-tune stops (above 1: never)
 * @param checkEvery         how many steps apart a fine-tune's validation accuracy is checked
 * @param stopChecks         how many checks in a row must reach {@code stopAccuracy} before a fine-tune stops: with
 *                           one, a fine-tune still at a high learning rate stops on the check that happens to peak,
 *                           and its test accuracy lands below it (docs/llama-evaluation.md, "The stop rule")
 * @param splitSeed          the seed of the validation and test examples, the same for every replicate
 * @param validationExamples examples per task on which hyper-parameters are chosen
 * @param screen             how much of the validation split each candidate merge is scored on
 * @param testExamples       examples per task on which results are reported
 * @param negationTargets    tasks negated in turn (each of the first n)
 * @param mergeOnlySeeds     further seeds, none of {@code seeds}, that only fine-tune the first
 *                           {@code mergeOnlyTasks} tasks and merge them at that one count: they narrow that count's
 *                           intervals for a fraction of a whole seed's cost
 * @param mergeOnlyTasks     the task count {@code mergeOnlySeeds} merge, one of {@code taskCounts} (0 when there are
 *                           none)
 * @param threads            threads for training and scoring: seeds run side by side on up to this many, one thread
 *                           each (more each when there are fewer seeds than threads)
 */
public record EvaluationConfig(List<Long> seeds, List<Integer> taskCounts, List<TextTask> tasks, List<String> methods,
                               LlamaShape shape, long pretrainingSeed, double promptShare,
                               List<TextTask> mixtureTasks, List<Double> answerShares,
                               TrainingSchedule pretraining, TrainingSchedule fineTuning, List<Integer> fineTuneSteps,
                               TunedTensors tuned, double stopAccuracy,
                               int checkEvery, int stopChecks, long splitSeed, int validationExamples, ValidationScreen screen,
                               int testExamples, int negationTargets, List<Long> mergeOnlySeeds, int mergeOnlyTasks,
                               int threads) {
    /** The published decoder: hidden 64, 2 layers, 4 heads on 2 key/value heads, 64 positions. */
    public static final LlamaShape SHAPE = new LlamaShape(ByteVocabulary.SIZE, 64, 128, 2, 4, 2, 64, 10000, 1e-5);
    /** The quick run's smaller decoder: hidden 32, 2 layers, 4 heads on 2 key/value heads. */
    public static final LlamaShape QUICK_SHAPE = new LlamaShape(ByteVocabulary.SIZE, 32, 64, 2, 4, 2, 64, 10000,
            1e-5);
    /**
     * The published tasks, in merge order: every prompt ends in a byte of its own, and the first four are those whose
     * pre-trained accuracies average at most 60 % of their fine-tunes' (docs/llama-evaluation.md, runs J and K).
     */
    public static final List<TextTask> TASKS = List.of(TextTask.CAPITAL, TextTask.LAST, TextTask.LENGTH,
            TextTask.SMALLEST, TextTask.SUCCESSOR, TextTask.FIRST, TextTask.COUNTING, TextTask.DEPTH);
    /** The pre-training mixture's tasks, in the order of its draws (that of run J). */
    public static final List<TextTask> MIXTURE_TASKS = List.of(TextTask.LAST, TextTask.CAPITAL, TextTask.SUCCESSOR,
            TextTask.LENGTH, TextTask.SMALLEST, TextTask.FIRST, TextTask.COUNTING, TextTask.DEPTH);
    /** Per task of {@link #MIXTURE_TASKS}, its share of answered pre-training examples. */
    public static final List<Double> ANSWER_SHARES = List.of(0.1, 0.04, 0.12, 0.015, 0.02, 0.1, 0.08, 0.02);

    /** The methods of the quick run: the ones whose ordering the full run shows robustly. */
    public static final List<String> QUICK_METHODS = List.of("averaging", "task_arithmetic", "ties", "tsv");
    /** The tasks of the quick run: three that a short training teaches. */
    public static final List<TextTask> QUICK_TASKS = List.of(TextTask.LAST, TextTask.SUCCESSOR, TextTask.LENGTH);

    public EvaluationConfig {
        seeds = List.copyOf(seeds);
        taskCounts = List.copyOf(taskCounts);
        tasks = List.copyOf(tasks);
        methods = List.copyOf(methods);
        mixtureTasks = List.copyOf(mixtureTasks);
        answerShares = List.copyOf(answerShares);
        fineTuneSteps = List.copyOf(fineTuneSteps);
        mergeOnlySeeds = List.copyOf(mergeOnlySeeds);
        if (!MethodGrid.FAMILIES.containsAll(methods)) {
            throw new IllegalArgumentException("unknown merge methods in " + methods + "; known: "
                    + MethodGrid.FAMILIES);
        }
        if (seeds.isEmpty() || taskCounts.isEmpty()) {
            throw new IllegalArgumentException("an evaluation needs at least one seed and one task count");
        }
        int most = tasks.size();
        if (taskCounts.stream().anyMatch(n -> n < 2 || n > most)) {
            throw new IllegalArgumentException("merges need 2 to " + most + " tasks: " + taskCounts);
        }
        if (answerShares.size() != mixtureTasks.size()) {
            throw new IllegalArgumentException(answerShares.size() + " answer shares for " + mixtureTasks.size()
                    + " pre-training tasks");
        }
        if (!mixtureTasks.containsAll(tasks)) {
            throw new IllegalArgumentException("the pre-training tasks " + mixtureTasks + " leave out some of "
                    + tasks);
        }
        if (!fineTuneSteps.isEmpty() && fineTuneSteps.size() != tasks.size()) {
            throw new IllegalArgumentException(fineTuneSteps.size() + " fine-tuning lengths for " + tasks.size()
                    + " tasks");
        }
        if (fineTuneSteps.stream().anyMatch(n -> n <= fineTuning.warmup())) {
            throw new IllegalArgumentException("every fine-tune must run past its " + fineTuning.warmup()
                    + " warm-up steps: " + fineTuneSteps);
        }
        if (!mergeOnlySeeds.isEmpty() && !taskCounts.contains(mergeOnlyTasks)) {
            throw new IllegalArgumentException("merge-only seeds merge one of the task counts " + taskCounts
                    + ", not " + mergeOnlyTasks);
        }
        if (mergeOnlySeeds.stream().anyMatch(seeds::contains)) {
            throw new IllegalArgumentException("the merge-only seeds " + mergeOnlySeeds + " repeat some of " + seeds);
        }
        if (stopChecks <= 0) {
            throw new IllegalArgumentException("a fine-tune stops after 1 or more checks in a row at its stop "
                    + "accuracy, not " + stopChecks);
        }
        if (checkEvery <= 0) {
            throw new IllegalArgumentException("a fine-tune's accuracy must be checked every 1 or more steps, not "
                    + checkEvery);
        }
    }

    /**
     * The fine-tuning lengths of the published tasks ({@link #TASKS}' order): 20 steps more than the most the sixth
     * session's early stop (97 % validation exact match on two checks in a row) took over its seeds, except
     * {@code smallest}'s 200, where one seed of eight took 220 (docs/llama-evaluation.md, "The stop rule"); at these
     * lengths every seed's fine-tune reaches 97 % or more on test.
     */
    public static final List<Integer> FINE_TUNE_STEPS = List.of(100, 80, 80, 200, 60, 140, 400, 360);

    /**
     * The published evaluation: 5 seeds at 2, 4 and 8 tasks and 5 more at 4 tasks, fine-tunes of every weight for
     * a fixed number of steps per task ({@link #FINE_TUNE_STEPS}), 200 validation prompts per task (every candidate
     * merge screened on 40, the best 3 on all), 300 test prompts.
     */
    public static EvaluationConfig full(int threads) {
        return new EvaluationConfig(List.of(1L, 2L, 3L, 4L, 5L), List.of(2, 4, 8), TASKS, MethodGrid.FAMILIES, SHAPE,
                1, 0.1, MIXTURE_TASKS, ANSWER_SHARES, new TrainingSchedule(1200, 32, 5e-3, 120),
                new TrainingSchedule(600, 32, 1e-3, 30), FINE_TUNE_STEPS, TunedTensors.ALL, 2, 20, 1, 1000, 200,
                new ValidationScreen(40, 3), 300, 2, List.of(6L, 7L, 8L, 9L, 10L), 4, threads);
    }

    /** The reduced run of the CI test: a smaller decoder, one seed, 2 and 3 tasks, short training. */
    public static EvaluationConfig quick(int threads) {
        return new EvaluationConfig(List.of(1L), List.of(2, 3), QUICK_TASKS, QUICK_METHODS, QUICK_SHAPE, 1, 0.1,
                QUICK_TASKS, List.of(0.05, 0.05, 0.05), new TrainingSchedule(500, 32, 5e-3, 50),
                new TrainingSchedule(300, 32, 2e-3, 15), List.of(), TunedTensors.ALL, 0.9, 20, 1, 1000, 60,
                new ValidationScreen(20, 2), 100, 1, List.of(), 0, threads);
    }

    /** This config with seeds 1 … {@code count} and no merge-only seeds. */
    public EvaluationConfig withSeeds(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("seeds must be at least 1, not " + count);
        }
        return new EvaluationConfig(LongStream.rangeClosed(1, count).boxed().toList(), taskCounts, tasks, methods,
                shape, pretrainingSeed, promptShare, mixtureTasks, answerShares, pretraining, fineTuning,
                fineTuneSteps, tuned, stopAccuracy, checkEvery, stopChecks, splitSeed, validationExamples, screen,
                testExamples, negationTargets, List.of(), 0, threads);
    }

    /** This config with {@code count} threads (the numbers do not depend on it). */
    public EvaluationConfig withThreads(int count) {
        return new EvaluationConfig(seeds, taskCounts, tasks, methods, shape, pretrainingSeed, promptShare,
                mixtureTasks, answerShares, pretraining, fineTuning, fineTuneSteps, tuned, stopAccuracy, checkEvery,
                stopChecks, splitSeed, validationExamples, screen, testExamples, negationTargets, mergeOnlySeeds,
                mergeOnlyTasks, count);
    }

    /** The schedule of task {@code k}'s fine-tune ({@code fineTuneSteps}' length, if it gives one). */
    public TrainingSchedule fineTuning(int k) {
        return fineTuneSteps.isEmpty() ? fineTuning : new TrainingSchedule(fineTuneSteps.get(k), fineTuning.batch(),
                fineTuning.rate(), fineTuning.warmup());
    }

    /** The seeds run at {@code n} tasks, in the order their rows are: {@code seeds}, then the merge-only ones. */
    public List<Long> seedsAt(int n) {
        if (n != mergeOnlyTasks || mergeOnlySeeds.isEmpty()) {
            return seeds;
        }
        return Stream.concat(seeds.stream(), mergeOnlySeeds.stream()).toList();
    }

    /** The number of tasks each seed fine-tunes. */
    public int taskCount() {
        return taskCounts.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }
}
