package dev.graft.evaluation.lmtrain;

import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.net.Adam;
import dev.graft.evaluation.net.Params;
import dev.graft.evaluation.text.PretrainingText;
import dev.graft.evaluation.text.TaskExamples;
import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.text.TextTask;
import dev.graft.evaluation.text.TokenSequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Trains byte-level Llama decoders: pre-training on {@link PretrainingText} from fresh weights, fine-tuning all
 * weights on one task's answers. Deterministic in the seed at any thread count ({@link BatchGradient}).
 */
public final class LlamaTrainer {
    /** Positions a training sequence may use: a grammar sentence or a task example, with room to spare. */
    public static final int POSITIONS = 48;

    private final int threads;
    private final Consumer<String> log;

    /** @param log receives a line of progress every tenth of a training */
    public LlamaTrainer(int threads, Consumer<String> log) {
        this.threads = threads;
        this.log = log;
    }

    /** A decoder pre-trained on {@code text} from {@link LlamaWeights#initial} under {@code seed}. */
    public LlamaWeights pretrain(LlamaShape shape, long seed, PretrainingText text, TrainingSchedule schedule) {
        return train(LlamaWeights.initial(shape, seed), text::next, schedule, "pre-training");
    }

    /** {@code base} fine-tuned on {@code task}'s training split under {@code seed}. */
    public LlamaWeights fineTune(LlamaWeights base, TextTask task, long seed, TrainingSchedule schedule) {
        TaskExamples examples = new TaskExamples(task, Split.TRAIN, seed);
        return train(base.copy(), () -> TokenSequence.answer(examples.next()), schedule, task.id());
    }

    /**
     * {@code base} fine-tuned on {@code task}'s training split under {@code seed} until {@code done} says so or the
     * schedule's steps run out; {@code done} is asked every {@code every} steps, with the weights and the steps
     * taken, so that a fine-tune can stop once its task is learnt (its task vector then stays small). Only the
     * tensors {@code trains} accepts (by Hugging Face name) are updated; the others keep the base's values.
     *
     * @return the weights and the number of steps taken
     */
    public Stopped fineTune(LlamaWeights base, TextTask task, long seed, TrainingSchedule schedule,
                            Predicate<String> trains, int every, StopRule done) {
        if (every <= 0) {
            throw new IllegalArgumentException("the stopping rule must be asked every 1 or more steps, not " + every);
        }
        TaskExamples examples = new TaskExamples(task, Split.TRAIN, seed);
        int[] taken = {schedule.steps()};
        LlamaWeights w = train(base.copy(), () -> TokenSequence.answer(examples.next()), schedule, task.id(), trains,
                (weights, steps) -> {
                    if (steps % every == 0 && done.reached(weights, steps)) {
                        taken[0] = steps;
                        return true;
                    }
                    return false;
                });
        return new Stopped(w, taken[0]);
    }

    /** When a fine-tune has learnt enough. */
    @FunctionalInterface
    public interface StopRule {
        /** Whether training may stop with {@code weights} after {@code steps} steps. */
        boolean reached(LlamaWeights weights, int steps);
    }

    /** A fine-tune's weights and the steps it took. */
    public record Stopped(LlamaWeights weights, int steps) {
    }

    private LlamaWeights train(LlamaWeights w, Supplier<TokenSequence> stream, TrainingSchedule schedule,
                               String what) {
        return train(w, stream, schedule, what, name -> true, (weights, steps) -> false);
    }

    private LlamaWeights train(LlamaWeights w, Supplier<TokenSequence> stream, TrainingSchedule schedule,
                               String what, Predicate<String> trains, StopRule stop) {
        LlamaShape shape = w.shape();
        if (shape.maxPositions() < POSITIONS) {
            throw new IllegalArgumentException("training needs " + POSITIONS + " positions; the model has "
                    + shape.maxPositions());
        }
        Params grad = w.params().zerosLike();
        Adam adam = new Adam(w.params(), schedule.rate());
        double recent = 0;
        int every = Math.max(1, schedule.steps() / 10);
        BatchGradient gradient = new BatchGradient(shape, POSITIONS, threads);
        for (int step = 0; step < schedule.steps(); step++) {
            List<TokenSequence> batch = new ArrayList<>(schedule.batch());
            for (int i = 0; i < schedule.batch(); i++) {
                batch.add(stream.get());
            }
            recent += gradient.compute(w.widened(), batch, grad);
            // a frozen tensor's zero gradient leaves Adam's moments, and so the tensor, unchanged
            for (int t = 0; t < grad.count(); t++) {
                if (!trains.test(shape.names().get(t))) {
                    Arrays.fill(grad.tensor(t), 0f);
                }
            }
            clip(grad, 1.0);
            adam.step(w.params(), grad, schedule.rateAt(step));
            if ((step + 1) % every == 0) {
                log.accept(String.format("%s: step %d of %d, loss %.3f", what, step + 1, schedule.steps(),
                        recent / every));
                recent = 0;
            }
            if (stop.reached(w, step + 1)) {
                break;
            }
        }
        return w;
    }

    /** Scales {@code g} down to global norm {@code max} when it is longer. */
    private static void clip(Params g, double max) {
        double ss = 0;
        for (int t = 0; t < g.count(); t++) {
            for (float x : g.tensor(t)) {
                ss += (double) x * x;
            }
        }
        double norm = Math.sqrt(ss);
        if (norm > max) {
            float f = (float) (max / norm);
            for (int t = 0; t < g.count(); t++) {
                float[] x = g.tensor(t);
                for (int j = 0; j < x.length; j++) {
                    x[j] *= f;
                }
            }
        }
    }
}
