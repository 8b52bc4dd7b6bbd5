package dev.graft.evaluation.lmtrain;

import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.WideWeights;
import dev.graft.evaluation.net.Params;
import dev.graft.evaluation.text.TokenSequence;

import java.util.Arrays;
import java.util.List;

/**
 * The mean cross-entropy of a batch of sequences (per predicted token) and its gradient, computed in
 * {@link Lanes} and summed over the lanes in a fixed order: the same bits at any thread count.
 */
final class BatchGradient {
    private final Lanes lanes;
    private final double[][][] laneGrads;
    private final double[] laneLoss = new double[Lanes.COUNT];

    BatchGradient(LlamaShape shape, int capacity, int threads) {
        this.lanes = new Lanes(shape, capacity, threads);
        List<long[]> shapes = shape.shapes();
        laneGrads = new double[Lanes.COUNT][shapes.size()][];
        for (double[][] g : laneGrads) {
            for (int i = 0; i < g.length; i++) {
                long n = 1;
                for (long dim : shapes.get(i)) {
                    n *= dim;
                }
                g[i] = new double[(int) n];
            }
        }
    }

    /**
     * Writes the batch's mean gradient into {@code out} (float32, the weights' layout) and returns its mean loss
     * per predicted token.
     */
    double compute(WideWeights w, List<TokenSequence> batch, Params out) {
        int predicted = 0;
        for (TokenSequence s : batch) {
            predicted += s.predictedCount();
        }
        double scale = 1.0 / predicted;
        for (double[][] g : laneGrads) {
            for (double[] t : g) {
                Arrays.fill(t, 0);
            }
        }
        Arrays.fill(laneLoss, 0);
        lanes.forEach(batch.size(), (lane, pass, i) -> {
            TokenSequence s = batch.get(i);
            laneLoss[lane] += pass.loss(w, s.tokens(), s.length(), s.predicted(), scale, laneGrads[lane]);
        });
        double loss = 0;
        for (int lane = 0; lane < Lanes.COUNT; lane++) {
            loss += laneLoss[lane];
        }
        for (int t = 0; t < out.count(); t++) {
            float[] o = out.tensor(t);
            for (int j = 0; j < o.length; j++) {
                double sum = 0;
                for (int lane = 0; lane < Lanes.COUNT; lane++) {
                    sum += laneGrads[lane][t][j];
                }
                o[j] = (float) sum;
            }
        }
        return loss * scale;
    }
}
