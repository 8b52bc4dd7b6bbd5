package dev.graft.evaluation.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class IntervalTest {
    @Test
    void studentTIntervalOfFiveValues() {
        // mean 3, sample sd √2.5, t(0.975, 4) = 2.776445
        Interval iv = Interval.of(new double[] {1, 2, 3, 4, 5});
        assertThat(iv.mean()).isEqualTo(3.0);
        assertThat(iv.half()).isCloseTo(2.776445 * Math.sqrt(2.5) / Math.sqrt(5), within(1e-5));
        assertThat(Interval.of(new double[] {0.9, 0.92}).percent()).isEqualTo("91.0 ± 12.7");
    }

    @Test
    void oneValueHasNoInterval() {
        Interval iv = Interval.of(new double[] {0.5});
        assertThat(iv.half()).isNaN();
        assertThat(iv.percent()).isEqualTo("50.0");
    }
}
