package dev.graft.evaluation.llama;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why {@link Linear} is plain loops, run by hand (docs/benchmarks.md quotes it): the products of one training
 * sequence of the evaluation's decoder, 32 positions through a 64 → 128, a 128 → 64 and a 64 → 259 projection,
 * timed warm as {@link Linear#apply} (float64, transposed weights) one position at a time (decoding) and on all 32
 * (training, four positions a weight read), and as one {@link LinearAlgebra#multiply} of the
 * 32-row input by the float32 weights on the linalg backend (weights already in the backend's matrices, as they
 * could stay for a whole step; the input copied in and the output out, as the pass would have to).
 *
 * <pre>
 * ./mvnw -o -pl evaluation test -Dtest=LinearBenchmark -Dgraft.bench.linear=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "graft.bench.linear", matches = "true")
class LinearBenchmark {
    private static final int POSITIONS = 32;
    private static final int ROUNDS = 7;
    private static final int REPS = 2000;

    @Test
    void plainLoopsAgainstTheBackend() {
        for (int[] size : new int[][] {{64, 128}, {128, 64}, {64, 259}}) {
            int in = size[0];
            int out = size[1];
            SplittableRandom rng = new SplittableRandom(1);
            float[] w = new float[out * in];
            float[] x = new float[POSITIONS * in];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) rng.nextGaussian();
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            double[] wt = new double[w.length];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    wt[i * out + o] = w[o * in + i];
                }
            }
            double[] xd = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                xd[i] = x[i];
            }
            double[] y = new double[POSITIONS * out];
            LinearAlgebra la = LinearAlgebra.get();
            Matrix wm = la.of(w, out, in);
            double bestSingle = Double.MAX_VALUE;
            double bestPlain = Double.MAX_VALUE;
            double bestBackend = Double.MAX_VALUE;
            float check = 0;
            for (int round = 0; round < ROUNDS; round++) {
                long ts = System.nanoTime();
                for (int r = 0; r < REPS; r++) {
                    for (int p = 0; p < POSITIONS; p++) {
                        Linear.apply(wt, out, in, xd, p * in, y, p * out, 1);
                    }
                }
                long t0 = System.nanoTime();
                for (int r = 0; r < REPS; r++) {
                    Linear.apply(wt, out, in, xd, 0, y, 0, POSITIONS);
                }
                long t1 = System.nanoTime();
                for (int r = 0; r < REPS; r++) {
                    try (Matrix xm = la.of(x, POSITIONS, in); Matrix ym = la.multiply(xm, false, wm, true)) {
                        check += ym.toArray()[0];
                    }
                }
                long t2 = System.nanoTime();
                bestSingle = Math.min(bestSingle, (t0 - ts) / (double) REPS);
                bestPlain = Math.min(bestPlain, (t1 - t0) / (double) REPS);
                bestBackend = Math.min(bestBackend, (t2 - t1) / (double) REPS);
            }
            try (Matrix xm = la.of(x, POSITIONS, in); Matrix ym = la.multiply(xm, false, wm, true)) {
                assertThat(ym.get(3, 5)).isCloseTo((float) y[3 * out + 5], org.assertj.core.data.Offset.offset(1e-3f));
            }
            wm.close();
            System.out.printf("%d positions, %d -> %d: plain loops %.1f us one position at a time, %.1f us four at a "
                    + "time; %s %.1f us (best of %d rounds of %d)%n", POSITIONS, in, out, bestSingle / 1e3,
                    bestPlain / 1e3, la.name(), bestBackend / 1e3, ROUNDS, REPS, check);
        }
    }
}
