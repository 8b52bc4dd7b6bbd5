package dev.graft.evaluation.llama;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Linear} against plain loops written out here in the order its Javadoc promises: the same bits whether
 * its vector form ({@link LinearVectors}, used when the incubator module is loaded, as in these tests) or its
 * scalar loops run, over sizes with and without a vector tail and with positions in blocks of four and alone.
 */
class LinearTest {
    private static final int OUT = 259;
    private static final int IN = 66;
    private static final int ROWS = 7;

    @Test
    void forwardSumsEachOutputOverTheInputsInOrder() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] wt = random(rng, IN * OUT);
        double[] x = random(rng, 2 + ROWS * IN);
        double[] y = new double[1 + ROWS * OUT];
        Linear.apply(wt, OUT, IN, x, 2, y, 1, ROWS);
        for (int r = 0; r < ROWS; r++) {
            for (int o = 0; o < OUT; o++) {
                double s = 0;
                for (int i = 0; i < IN; i++) {
                    s += x[2 + r * IN + i] * wt[i * OUT + o];
                }
                assertThat(y[1 + r * OUT + o]).as("row %d output %d", r, o).isEqualTo(s);
            }
        }
    }

    @Test
    void backwardAccumulatesInTheOrderOfTheScalarLoops() {
        SplittableRandom rng = new SplittableRandom(4);
        double[] w = random(rng, OUT * IN);
        double[] x = random(rng, ROWS * IN);
        double[] dy = random(rng, ROWS * OUT);
        for (int o = 0; o < OUT; o += 9) {
            for (int r = 0; r < 4; r++) {
                dy[r * OUT + o] = 0; // whole zero columns of the first block: skipped
            }
        }
        double[] dw = random(rng, OUT * IN);
        double[] dx = random(rng, ROWS * IN);
        double[] dwExpected = dw.clone();
        double[] dxExpected = dx.clone();
        Linear.backward(w, OUT, IN, x, 0, dy, 0, dw, dx, 0, ROWS);
        // the first four positions as one block, then the rest one by one
        for (int o = 0; o < OUT; o++) {
            double g0 = dy[o];
            double g1 = dy[OUT + o];
            double g2 = dy[2 * OUT + o];
            double g3 = dy[3 * OUT + o];
            if (g0 == 0 && g1 == 0 && g2 == 0 && g3 == 0) {
                continue;
            }
            for (int i = 0; i < IN; i++) {
                dwExpected[o * IN + i] += g0 * x[i] + g1 * x[IN + i] + g2 * x[2 * IN + i] + g3 * x[3 * IN + i];
                dxExpected[i] += g0 * w[o * IN + i];
                dxExpected[IN + i] += g1 * w[o * IN + i];
                dxExpected[2 * IN + i] += g2 * w[o * IN + i];
                dxExpected[3 * IN + i] += g3 * w[o * IN + i];
            }
        }
        for (int r = 4; r < ROWS; r++) {
            for (int o = 0; o < OUT; o++) {
                double g = dy[r * OUT + o];
                for (int i = 0; i < IN && g != 0; i++) {
                    dwExpected[o * IN + i] += g * x[r * IN + i];
                    dxExpected[r * IN + i] += g * w[o * IN + i];
                }
            }
        }
        assertThat(dw).containsExactly(dwExpected);
        assertThat(dx).containsExactly(dxExpected);
    }

    private static double[] random(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble(-1, 1);
        }
        return a;
    }
}
