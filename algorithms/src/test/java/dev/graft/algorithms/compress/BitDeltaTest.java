package dev.graft.algorithms.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BitDeltaTest {
    @TempDir
    Path dir;

    @Test
    void scaleIsTheLeastSquaresOptimumFoundByBruteForce() {
        int rows = 7;
        int cols = 9;
        float[] base = CodecHarness.gaussian(rows * cols, 1, 1);
        float[] tuned = CodecHarness.plus(base, CodecHarness.gaussian(rows * cols, 0.01, 2));
        CodecHarness.Result r = CodecHarness.roundTrip(new BitDelta(), base, tuned, rows, cols, dir, 64);
        float alpha = Math.abs(r.decoded()[0]);
        double meanAbs = 0;
        double maxAbs = 0;
        for (float d : r.delta()) {
            meanAbs += Math.abs(d);
            maxAbs = Math.max(maxAbs, Math.abs(d));
        }
        assertThat((double) alpha).isCloseTo(meanAbs / r.delta().length, within(1e-9));
        // Every scale on a fine grid does at least as badly.
        double best = errorAt(r.delta(), alpha);
        for (int s = 0; s <= 100_000; s++) {
            double a = 2 * maxAbs * s / 100_000;
            assertThat(errorAt(r.delta(), a)).isGreaterThanOrEqualTo(best - 1e-12);
        }
    }

    private static double errorAt(float[] delta, double alpha) {
        double e = 0;
        for (float d : delta) {
            double q = (d >= 0 ? alpha : -alpha) - d;
            e += q * q;
        }
        return e;
    }

    @Test
    void decodesSignTimesScaleWithZerosPositiveAndReportsItsError() {
        float[] base = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3};
        float[] tuned = base.clone();
        tuned[0] = 0.5f;
        tuned[5] = 0.5f;
        // Element 1 keeps Δ = 0: sign +1.
        CodecHarness.Result r = CodecHarness.roundTrip(new BitDelta(), pad(base, 16 * 16), pad(tuned, 16 * 16),
                16, 16, dir, 24);
        float alpha = 1f / 256;
        assertThat(r.decoded()[0]).isEqualTo(alpha);
        assertThat(r.decoded()[1]).isEqualTo(alpha);
        assertThat(r.decoded()[5]).isEqualTo(-alpha);
        assertThat(r.encoded().relativeError()).isCloseTo(r.measuredError(), within(1e-9));
        assertThat(r.encoded().parts()).extracting(p -> p.data().byteSize()).containsExactly(32L, 4L);
    }

    private static float[] pad(float[] v, int n) {
        return java.util.Arrays.copyOf(v, n);
    }

    @Test
    void reportedErrorMatchesTheDecodedDeltaOnGaussianDeltas() {
        float[] base = CodecHarness.gaussian(64 * 40, 1, 3);
        float[] tuned = CodecHarness.plus(base, CodecHarness.gaussian(64 * 40, 0.02, 4));
        CodecHarness.Result r = CodecHarness.roundTrip(new BitDelta(), base, tuned, 64, 40, dir, 1000);
        // For Gaussian deltas the best 1-bit code keeps sqrt(2/π) of the norm: error sqrt(1 − 2/π) ≈ 0.603.
        assertThat(r.encoded().relativeError()).isCloseTo(r.measuredError(), within(1e-6)).isCloseTo(0.603, within(0.02));
    }
}
