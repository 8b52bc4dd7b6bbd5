package dev.graft.evaluation.train;

import dev.graft.evaluation.data.Dataset;
import dev.graft.evaluation.net.Heads;
import dev.graft.evaluation.net.Trunk;
import dev.graft.evaluation.net.TrunkPass;

/** Accuracy of a trunk and a task's head on a labelled split. */
public final class Evaluator {
    private Evaluator() {
    }

    /** The fraction of {@code data}'s examples whose label (of teacher {@code labelSet}) the head predicts. */
    public static double accuracy(Trunk trunk, Heads head, Dataset data, int labelSet) {
        TrunkPass pass = new TrunkPass(trunk.shape());
        pass.load(trunk);
        int correct = 0;
        for (int n = 0; n < data.size(); n++) {
            float[] f = pass.forward(data.x(), n * data.inputs());
            if (head.predict(0, f) == data.labels()[labelSet][n]) {
                correct++;
            }
        }
        return (double) correct / data.size();
    }

    /** The trunk's features of every example, {@code [size][width]}. */
    static float[][] features(Trunk trunk, Dataset data) {
        TrunkPass pass = new TrunkPass(trunk.shape());
        pass.load(trunk);
        float[][] f = new float[data.size()][];
        for (int n = 0; n < data.size(); n++) {
            f[n] = pass.forward(data.x(), n * data.inputs()).clone();
        }
        return f;
    }
}
