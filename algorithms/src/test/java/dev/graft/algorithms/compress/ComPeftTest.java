package dev.graft.algorithms.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComPeftTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheTopKMagnitudesAsPlusMinusAlphaSigma() {
        int rows = 32;
        int cols = 50;
        int n = rows * cols;
        float[] base = CodecHarness.gaussian(n, 1, 5);
        float[] tuned = CodecHarness.plus(base, CodecHarness.gaussian(n, 0.01, 6));
        CodecHarness.Result r = CodecHarness.roundTrip(new ComPeft(0.1, 2.5), base, tuned, rows, cols, dir, 77);
        float[] d = r.delta();
        double mean = 0;
        for (float x : d) {
            mean += x;
        }
        mean /= n;
        double var = 0;
        for (float x : d) {
            var += (x - mean) * (x - mean);
        }
        float scale = (float) (2.5 * Math.sqrt(var / (n - 1)));
        float[] sorted = new float[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = Math.abs(d[i]);
        }
        Arrays.sort(sorted);
        float threshold = sorted[n - 160];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (Math.abs(d[i]) >= threshold) {
                kept++;
                assertThat(r.decoded()[i]).isCloseTo(Math.copySign(scale, d[i]), within(scale * 1e-6f));
            } else {
                assertThat(r.decoded()[i]).isZero();
            }
        }
        assertThat(kept).isEqualTo(160);
        assertThat(r.encoded().attributes()).containsEntry("kept", "160").containsEntry("positions", "gaps");
        assertThat(r.encoded().relativeError()).isCloseTo(r.measuredError(), within(1e-6));
    }

    @Test
    void autoAlphaIsTheMeanKeptMagnitudeAndBeatsEveryFixedAlpha() {
        int n = 40 * 40;
        float[] base = CodecHarness.gaussian(n, 1, 7);
        float[] tuned = CodecHarness.plus(base, CodecHarness.gaussian(n, 0.01, 8));
        CodecHarness.Result auto = CodecHarness.roundTrip(new ComPeft(0.3, Double.NaN), base, tuned, 40, 40, dir, 4096);
        double sumKept = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (auto.decoded()[i] != 0) {
                sumKept += Math.abs(auto.delta()[i]);
                k++;
            }
        }
        assertThat(k).isEqualTo(480);
        assertThat(auto.encoded().attributes()).containsEntry("positions", "bitmap");
        assertThat((double) Math.abs(auto.decoded()[firstNonZero(auto.decoded())])).isCloseTo(sumKept / k, within(1e-9));
        assertThat(auto.encoded().relativeError()).isCloseTo(auto.measuredError(), within(1e-6));
        for (double alpha : new double[] {0.5, 1, 1.5, 2, 3}) {
            CodecHarness.Result fixed = CodecHarness.roundTrip(new ComPeft(0.3, alpha), base, tuned, 40, 40, dir, 4096);
            assertThat(fixed.measuredError()).isGreaterThan(auto.measuredError());
        }
    }

    private static int firstNonZero(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0) {
                return i;
            }
        }
        throw new AssertionError("all zero");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"30, 40", "300, 400", "512, 300"})
    void amongTiedMagnitudesKeepsTheLowestIndicesAsTheSelectionsMaskDoes(int rows, int cols) {
        // Deltas of bf16 weights repeat few magnitudes: here 5 values, so the cut falls inside a large tie; the
        // larger sizes span several chunks, so chunks before and after the one holding the tie quota's end are
        // decided without counting ties one by one.
        int n = rows * cols;
        java.util.SplittableRandom r = new java.util.SplittableRandom(21);
        float[] base = new float[n];
        float[] tuned = new float[n];
        float[] levels = {-2, -1, 0, 1, 3};
        for (int i = 0; i < n; i++) {
            tuned[i] = levels[r.nextInt(levels.length)] * 0.25f;
        }
        CodecHarness.Result res = CodecHarness.roundTrip(new ComPeft(0.37, 1), base, tuned, rows, cols, dir, 128);
        dev.graft.algorithms.select.MagnitudeTopK top = dev.graft.algorithms.select.MagnitudeTopK.of(n, (long) (0.37 * n));
        while (top.needsPass()) {
            top.accept(res.delta(), 0, n);
            top.endPass();
        }
        boolean[] expected = new boolean[n];
        top.mask().fill(res.delta(), 0, n, expected, 0);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            assertThat(res.decoded()[i] != 0).as("element %d", i).isEqualTo(expected[i]);
            kept += expected[i] ? 1 : 0;
        }
        assertThat(kept).isEqualTo((int) (0.37 * n));
    }

    @Test
    void readingTheModelsOnEveryPassGivesTheSameParts() {
        int n = 64 * 48;
        float[] base = CodecHarness.gaussian(n, 1, 31);
        float[] tuned = CodecHarness.plus(base, CodecHarness.gaussian(n, 0.01, 32));
        EncodedDelta cached = new ComPeft(0.15, Double.NaN).encode(MatrixDelta.of("w", base, tuned, 64, 48));
        EncodedDelta uncached = new ComPeft(0.15, Double.NaN, 0).encode(MatrixDelta.of("w", base, tuned, 64, 48));
        assertThat(uncached.attributes()).isEqualTo(cached.attributes());
        assertThat(uncached.errorSquared()).isEqualTo(cached.errorSquared());
        for (int p = 0; p < cached.parts().size(); p++) {
            assertThat(uncached.parts().get(p).data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                    .isEqualTo(cached.parts().get(p).data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void densityOneKeepsEverySignAndDensityZeroNothing() {
        int n = 16 * 16;
        float[] base = CodecHarness.gaussian(n, 1, 9);
        float[] tuned = CodecHarness.plus(base, CodecHarness.gaussian(n, 0.01, 10));
        CodecHarness.Result none = CodecHarness.roundTrip(new ComPeft(0, 1), base, tuned, 16, 16, dir, 100);
        assertThat(none.decoded()).containsOnly(0f);
        assertThat(none.encoded().relativeError()).isCloseTo(1, within(1e-9));
        CodecHarness.Result all = CodecHarness.roundTrip(new ComPeft(1, Double.NaN), base, tuned, 16, 16, dir, 100);
        for (int i = 0; i < n; i++) {
            assertThat(all.decoded()[i] >= 0).isEqualTo(all.delta()[i] >= 0);
        }
    }

    @Test
    void refusesParametersOutsideTheirRange() {
        assertThatThrownBy(() -> new ComPeft(1.5, 1)).hasMessageContaining("density must be in [0, 1]");
        assertThatThrownBy(() -> new ComPeft(0.1, -1)).hasMessageContaining("alpha must be positive");
    }
}
