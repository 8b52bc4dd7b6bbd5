package dev.graft.algorithms.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.graft.algorithms.random.CounterRng;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DareTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheCounterRngDrawsRescaledAndStoresOnlyTheSurvivors() {
        int n = 48 * 32;
        float[] base = CodecHarness.gaussian(n, 1, 11);
        float[] tuned = CodecHarness.plus(base, CodecHarness.gaussian(n, 0.01, 12));
        CodecHarness.Result r = CodecHarness.roundTrip(new Dare(0.75, 42), base, tuned, 48, 32, dir, 100);
        CounterRng rng = CounterRng.forTensor(42, "w", 0);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (rng.bernoulli(i, 0.25)) {
                kept++;
                assertThat(r.decoded()[i]).isEqualTo(r.delta()[i] * 4f);
            } else {
                assertThat(r.decoded()[i]).isZero();
            }
        }
        assertThat(r.encoded().attributes()).containsEntry("kept", Integer.toString(kept));
        assertThat(r.encoded().parts().getFirst().data().byteSize()).isEqualTo(4L * kept);
        assertThat(r.encoded().relativeError()).isCloseTo(r.measuredError(), within(1e-6));
        assertThat((double) kept / n).isCloseTo(0.25, within(0.03));
    }

    @Test
    void dropZeroIsLossless() {
        int n = 16 * 20;
        float[] base = CodecHarness.gaussian(n, 1, 13);
        float[] tuned = CodecHarness.plus(base, CodecHarness.gaussian(n, 0.01, 14));
        CodecHarness.Result r = CodecHarness.roundTrip(new Dare(0, 1), base, tuned, 16, 20, dir, 64);
        assertThat(r.decoded()).containsExactly(r.delta());
        assertThat(r.encoded().relativeError()).isZero();
    }

    @Test
    void refusesDropOne() {
        assertThatThrownBy(() -> new Dare(1, 0)).hasMessageContaining("drop must be in [0, 1)");
    }
}
