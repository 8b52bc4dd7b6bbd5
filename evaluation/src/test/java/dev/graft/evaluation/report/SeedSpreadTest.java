package dev.graft.evaluation.report;

import dev.graft.evaluation.experiment.MergeOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SeedSpreadTest {
    private static List<MergeOutcome> rows(String... chosenAndTest) {
        return List.of(new MergeOutcome(1, 4, "ties", chosenAndTest[0], 0, Double.parseDouble(chosenAndTest[1])),
                new MergeOutcome(2, 4, "ties", chosenAndTest[2], 0, Double.parseDouble(chosenAndTest[3])),
                new MergeOutcome(3, 4, "ties", chosenAndTest[4], 0, Double.parseDouble(chosenAndTest[5])));
    }

    @Test
    void splitsTheSpreadIntoSamplingSharedAndChoice() {
        // y deviations −2, +2, 0 points against the reference's −2, 0, +2: slope 0.5, R² 0.25
        SeedSpread s = SeedSpread.of("ties", 4, rows("a", "0.70", "a", "0.74", "b", "0.72"),
                new double[] {0.80, 0.82, 0.84}, 300);
        assertThat(s.sd()).isCloseTo(0.02, within(1e-12));
        assertThat(s.half()).isCloseTo(4.302653 * 0.02 / Math.sqrt(3), within(1e-6));
        assertThat(s.sampling()).isCloseTo(Math.sqrt(0.72 * 0.28 / 1200), within(1e-12));
        assertThat(s.slope()).isCloseTo(0.5, within(1e-9));
        assertThat(s.shared()).isCloseTo(0.25, within(1e-9));
        assertThat(s.choices()).isEqualTo(2);
        assertThat(s.modalSd()).isCloseTo(Math.sqrt(0.0008), within(1e-12));
        // t(0.975, 5)/√6 = 1.050 > 1 ≥ t(0.975, 6)/√7 = 0.925: at sd 2 points, ±2 needs 7 seeds
        assertThat(s.seedsFor(0.02)).isEqualTo(7);
    }

    @Test
    void oneSeedOnEachSettingHasNoModalSpread() {
        SeedSpread s = SeedSpread.of("ties", 4, rows("a", "0.70", "b", "0.74", "c", "0.72"),
                new double[] {0.80, 0.82, 0.84}, 300);
        assertThat(s.choices()).isEqualTo(3);
        assertThat(s.modalSd()).isNaN();
    }

    @Test
    void refusesSeedsThatDoNotMatchTheReference() {
        assertThatThrownBy(() -> SeedSpread.of("ties", 4, rows("a", "0.70", "a", "0.74", "b", "0.72"),
                new double[] {0.80, 0.82}, 300))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ties at 4 tasks has 3 seeds, task_arithmetic 2; the spread needs the same two or more");
    }
}
