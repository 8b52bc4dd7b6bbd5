package dev.graft.evaluation.experiment;

import dev.graft.evaluation.text.Split;
import dev.graft.evaluation.net.Params;

import java.util.ArrayList;
import java.util.List;

/**
 * How much the fine-tunes of one seed get in each other's way, the quantity that limits every merge.
 *
 * @param seed           the replicate
 * @param meanCosine     mean cosine similarity of the task vectors, over pairs of tasks
 * @param crossRetention mean over tasks i ≠ j of the accuracy of fine-tune j on task i divided by the base's:
 *                       below 1 when fine-tuning on one task hurts the others 
 */
public record Interference(long seed, double meanCosine, double crossRetention) {
    /** Measures both on the test split. */
    public static Interference measure(FineTunedTasks suite, long seed) {
        List<Params> vectors = new ArrayList<>();
        for (var ft : suite.fineTunes()) {
            vectors.add(ft.params().minus(suite.base().params()));
        }
        double cos = 0;
        int pairs = 0;
        for (int i = 0; i < vectors.size(); i++) {
            for (int j = i + 1; j < vectors.size(); j++) {
                cos += cosine(vectors.get(i), vectors.get(j));
                pairs++;
            }
        }
        double retention = 0;
        int cross = 0;
        for (int i = 0; i < suite.size(); i++) {
            for (int j = 0; j < suite.size(); j++) {
                if (i != j) {
                    retention += suite.accuracy(suite.fineTunes().get(j), i, Split.TEST)
                            / suite.baseAccuracy(i, Split.TEST);
                    cross++;
                }
            }
        }
        return new Interference(seed, pairs == 0 ? 0 : cos / pairs, cross == 0 ? 1 : retention / cross);
    }

    private static double cosine(Params a, Params b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int t = 0; t < a.count(); t++) {
            float[] x = a.tensor(t);
            float[] y = b.tensor(t);
            for (int i = 0; i < x.length; i++) {
                dot += (double) x[i] * y[i];
                na += (double) x[i] * x[i];
                nb += (double) y[i] * y[i];
            }
        }
        return dot / Math.sqrt(na * nb);
    }
}
