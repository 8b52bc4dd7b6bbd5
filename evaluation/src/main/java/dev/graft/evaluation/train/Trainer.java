package dev.graft.evaluation.train;

import dev.graft.evaluation.data.Dataset;
import dev.graft.evaluation.data.InputRegion;
import dev.graft.evaluation.data.Task;
import dev.graft.evaluation.data.Seeds;
import dev.graft.evaluation.data.Teacher;
import dev.graft.evaluation.net.Adam;
import dev.graft.evaluation.net.Heads;
import dev.graft.evaluation.net.Trunk;
import dev.graft.evaluation.net.TrunkPass;
import dev.graft.evaluation.net.TrunkShape;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The three training phases of the task-vector setting: pre-train a trunk on a broad mixture of tasks, fit a head
 * per downstream task on the pre-trained features, and fine-tune the trunk on each task with its head frozen.
 * Single-threaded and deterministic in its seed; callers run independent trainings in parallel.
 */
public final class Trainer {
    private final TrainingConfig config;

    public Trainer(TrainingConfig config) {
        this.config = config;
    }

    /** Pre-trains a trunk jointly with one head per teacher on the mean of their cross-entropies. */
    public Trunk pretrain(TrunkShape shape, List<Teacher> teachers, InputRegion region, int classes, long seed) {
        Trunk trunk = Trunk.initial(shape, Seeds.stream(seed, "trunk-init", 0));
        Heads heads = Heads.initial(teachers.size(), classes, shape.width(), Seeds.stream(seed, "pretrain-heads", 0));
        Trunk trunkGrad = new Trunk(shape, trunk.params().zerosLike());
        Heads headGrad = heads.zerosLike();
        Adam trunkOpt = new Adam(trunk.params(), config.pretrainRate());
        Adam headOpt = new Adam(heads.params(), config.pretrainRate());
        TrunkPass pass = new TrunkPass(shape);
        SplittableRandom data = Seeds.stream(seed, "pretrain-data", 0);
        float[] dFeatures = new float[shape.width()];
        double scale = 1.0 / (config.pretrainBatch() * teachers.size());
        for (int step = 0; step < config.pretrainSteps(); step++) {
            Dataset batch = Dataset.draw(teachers, region, config.pretrainBatch(), data);
            trunkGrad.params().clear();
            headGrad.params().clear();
            pass.load(trunk);
            for (int n = 0; n < batch.size(); n++) {
                float[] features = pass.forward(batch.x(), n * batch.inputs());
                java.util.Arrays.fill(dFeatures, 0);
                for (int k = 0; k < teachers.size(); k++) {
                    heads.backward(k, features, batch.labels()[k][n], scale, dFeatures, headGrad);
                }
                pass.backward(batch.x(), n * batch.inputs(), dFeatures, trunkGrad);
            }
            trunkOpt.step(trunk.params(), trunkGrad.params());
            headOpt.step(heads.params(), headGrad.params());
        }
        return trunk;
    }

    /** Fits a linear head for the task on the trunk's features (the trunk is not changed). */
    public Heads fitHead(Trunk trunk, Task task, long seed) {
        TrunkShape shape = trunk.shape();
        Dataset sample = Dataset.draw(task.teacher(), task.region(), config.probeExamples(),
                Seeds.stream(seed, "probe-data", task.index()));
        float[][] features = Evaluator.features(trunk, sample);
        Heads head = Heads.initial(1, task.teacher().classes(), shape.width(),
                Seeds.stream(seed, "probe-init", task.index()));
        Heads grad = head.zerosLike();
        Adam opt = new Adam(head.params(), 0.05);
        float[] scratch = new float[shape.width()];
        double scale = 1.0 / sample.size();
        for (int step = 0; step < config.probeSteps(); step++) {
            grad.params().clear();
            for (int n = 0; n < sample.size(); n++) {
                head.backward(0, features[n], sample.labels()[0][n], scale, scratch, grad);
            }
            opt.step(head.params(), grad.params());
        }
        return head;
    }

    /** Fine-tunes a copy of {@code base} on {@code task} under its frozen {@code head}. */
    public Trunk fineTune(Trunk base, Heads head, Task task, long seed) {
        Trunk trunk = base.copy();
        TrunkShape shape = trunk.shape();
        Trunk grad = new Trunk(shape, trunk.params().zerosLike());
        Adam opt = new Adam(trunk.params(), config.fineTuneRate());
        TrunkPass pass = new TrunkPass(shape);
        SplittableRandom data = Seeds.stream(seed, "fine-tune-" + task.name(), task.index());
        float[] dFeatures = new float[shape.width()];
        double scale = 1.0 / config.fineTuneBatch();
        for (int step = 0; step < config.fineTuneSteps(); step++) {
            Dataset batch = Dataset.draw(task.teacher(), task.region(), config.fineTuneBatch(), data);
            grad.params().clear();
            pass.load(trunk);
            for (int n = 0; n < batch.size(); n++) {
                float[] features = pass.forward(batch.x(), n * batch.inputs());
                java.util.Arrays.fill(dFeatures, 0);
                head.backward(0, features, batch.labels()[0][n], scale, dFeatures, null);
                pass.backward(batch.x(), n * batch.inputs(), dFeatures, grad);
            }
            opt.step(trunk.params(), grad.params());
        }
        return trunk;
    }
}
