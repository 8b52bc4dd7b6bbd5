package dev.graft.algorithms.select;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderStatisticsTest {
    /** Non-negative data sets (the class's contract): the selectors' sets, as magnitudes, NaN left out. */
    private static float[] nonNegative(float[] values) {
        float[] v = new float[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.isNaN(values[i]) ? 1f : Math.abs(values[i]);
        }
        return v;
    }

    @Test
    void valuesAreThoseOfASortedCopyAtEveryRequestedRank() {
        for (TestData.Named data : TestData.sets(1_000, 7)) {
            float[] values = nonNegative(data.values());
            float[] sorted = values.clone();
            Arrays.sort(sorted);
            long[] ranks = {0, 249, 499, 500, 999};
            OrderStatistics stats = new OrderStatistics(values.length, ranks);
            int passes = 0;
            while (stats.needsPass()) {
                // Chunks in any order: the passes only count.
                stats.accept(values, 600, 400);
                stats.accept(values, 0, 600);
                stats.endPass();
                passes++;
            }
            assertThat(passes).as(data.toString()).isBetween(1, 2);
            for (int i = 0; i < ranks.length; i++) {
                assertThat(stats.value(i)).as("%s rank %d", data, ranks[i]).isEqualTo(sorted[(int) ranks[i]]);
            }
        }
    }

    @Test
    void quartileRanksAreFloorOfMTimesNMinusOneOverFour() {
        for (long n = 1; n <= 2_000; n++) {
            for (int m = 0; m <= 4; m++) {
                assertThat(OrderStatistics.quartileRank(n, m)).as("n=%d m=%d", n, m).isEqualTo(m * (n - 1) / 4);
            }
        }
        // Where m·(n − 1) overflows a long, and where q·(n − 1) in double would round.
        long n = Long.MAX_VALUE - 2;
        BigInteger last = BigInteger.valueOf(n - 1);
        assertThat(OrderStatistics.quartileRank(n, 3))
                .isEqualTo(last.multiply(BigInteger.valueOf(3)).divide(BigInteger.valueOf(4)).longValueExact());
        assertThat(OrderStatistics.quartileRank((1L << 53) + 2, 1)).isEqualTo(((1L << 53) + 1) / 4);
    }

    @Test
    void refusesRanksOutsideTheData() {
        assertThatThrownBy(() -> new OrderStatistics(10, 3, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rank 10 is outside [0, 10)");
        assertThatThrownBy(() -> OrderStatistics.quartileRank(0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quartile 2 of 0 values");
    }
}
