package dev.graft.algorithms.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.graft.formats.dtype.Fp16;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.Svd;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaCoMeTest {
    @TempDir
    Path dir;

    /** A delta with a decaying spectrum: σ_i ∝ 0.9^i over random orthogonal-ish directions, plus a little noise. */
    static float[][] decayingPair(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] base = CodecHarness.gaussian(rows * cols, 1, seed + 1);
        float[] tuned = base.clone();
        for (int k = 0; k < Math.min(rows, cols); k++) {
            double s = 0.02 * Math.pow(0.9, k);
            double[] u = new double[rows];
            double[] v = new double[cols];
            for (int i = 0; i < rows; i++) {
                u[i] = r.nextGaussian() / Math.sqrt(rows);
            }
            for (int j = 0; j < cols; j++) {
                v[j] = r.nextGaussian() / Math.sqrt(cols);
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    tuned[i * cols + j] += (float) (s * u[i] * v[j] * Math.sqrt(rows * cols) / 8);
                }
            }
        }
        return new float[][] {base, tuned};
    }

    @Test
    void quantizerErrorIsAtMostHalfAStep() {
        SplittableRandom r = new SplittableRandom(1);
        for (int bits = 1; bits <= 8; bits++) {
            float[] x = new float[300];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * 0.05);
            }
            DeltaCoMe.Quantized q = new DeltaCoMe.Quantized(1, x.length, bits, 128);
            q.quantize(0, x);
            var parts = q.parts("g");
            DeltaCoMe.Dequantizer d = new DeltaCoMe.Dequantizer(parts.get(0).data(), parts.get(1).data(), x.length,
                    bits, 128);
            float[] back = new float[x.length];
            d.vector(0, back);
            for (int i = 0; i < x.length; i++) {
                MemorySegment steps = parts.get(1).data();
                int g = i / 128;
                short h = (short) ((steps.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 2L * g) & 0xFF)
                        | steps.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 2L * g + 1) << 8);
                float step = Fp16.toFloat(h);
                assertThat(Math.abs(back[i] - x[i])).as("bits %d element %d", bits, i)
                        .isLessThanOrEqualTo(step / 2 * (1 + 1e-6f));
            }
        }
    }

    @Test
    void allocatesTheDefaultScheduleWithinTheBudget() {
        DeltaCoMe c = DeltaCoMe.ofBudget(1);
        // 4096 × 4096 at 1 bit: 8 bits × 2, 3 bits × 32, then 2-bit triplets while they fit.
        List<DeltaCoMe.Run> runs = c.allocate(4096, 4096);
        assertThat(runs.subList(0, 2)).containsExactly(new DeltaCoMe.Run(8, 2), new DeltaCoMe.Run(3, 32));
        long per2 = 2L * 8192 + 16 * 64 + 32;
        long used = 2 * (8L * 8192 + 16 * 64 + 32) + 32 * (3L * 8192 + 16 * 64 + 32) + runs.get(2).count() * per2;
        assertThat(used).isLessThanOrEqualTo(4096L * 4096).isGreaterThan(4096L * 4096 - per2);
        assertThat(c.allocate(16, 16)).isEmpty();
    }

    @Test
    void beatsBitDeltaAtTheSameSizeOnADecayingSpectrumAndReportsItsError() {
        int rows = 96;
        int cols = 128;
        float[][] pair = decayingPair(rows, cols, 5);
        CodecHarness.Result come = CodecHarness.roundTrip(new DeltaCoMe(1, List.of(8, 3, 2), List.of(2, 32), 32, 0),
                pair[0], pair[1], rows, cols, dir, 1000);
        CodecHarness.Result bit = CodecHarness.roundTrip(new BitDelta(), pair[0], pair[1], rows, cols, dir, 1000);
        long comeBytes = come.encoded().parts().stream().mapToLong(p -> p.data().byteSize()).sum();
        long bitBytes = bit.encoded().parts().stream().mapToLong(p -> p.data().byteSize()).sum();
        assertThat(comeBytes).isLessThanOrEqualTo(bitBytes);
        assertThat(come.encoded().relativeError()).isCloseTo(come.measuredError(), within(1e-4));
        assertThat(come.measuredError()).isLessThan(bit.measuredError() / 2);
    }

    @Test
    void lowRankMeetsTheEckartYoungErrorUpToBf16Factors() {
        int rows = 64;
        int cols = 80;
        float[][] pair = decayingPair(rows, cols, 9);
        CodecHarness.Result lr = CodecHarness.roundTrip(LowRank.ofRank(10, 0), pair[0], pair[1], rows, cols, dir, 333);
        LinearAlgebra la = LinearAlgebra.get();
        double total;
        double tail = 0;
        try (Matrix d = la.of(lr.delta(), rows, cols); Svd svd = la.svd(d)) {
            total = svd.energy(svd.rank());
            tail = total - svd.energy(10);
        }
        assertThat(lr.measuredError()).isCloseTo(Math.sqrt(tail / total), within(0.01));
        assertThat(lr.encoded().relativeError()).isCloseTo(lr.measuredError(), within(1e-4));
        assertThat(lr.encoded().attributes()).containsEntry("rank", "10");
        assertThat(LowRank.ofBudget(1, 0).rankFor(4096, 4096)).isEqualTo(128);
    }

    @Test
    void refusesMalformedSchedules() {
        assertThatThrownBy(() -> new DeltaCoMe(1, List.of(8, 3), List.of(2, 32), 128, 0))
                .hasMessageContaining("one count for each bit width but the last");
        assertThatThrownBy(() -> new DeltaCoMe(1, List.of(9), List.of(), 128, 0)).hasMessageContaining("1 to 8");
    }
}
