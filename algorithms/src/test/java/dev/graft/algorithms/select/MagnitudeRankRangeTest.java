package dev.graft.algorithms.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MagnitudeRankRangeTest {

    @Test
    void dropsTheLowestIndexTiesAtTheBottomAndTheHighestIndexTiesAtTheTop() {
        //               0   1  2  3   4   5  6  7  8  9
        float[] values = {2, -1, 1, 5, 1, -5, 0, 5, 1, 3};
        // Ascending, ties by index: 6 | 1 2 4 8 | 0 | 9 | 3 5 7. Ranks [2, 8) drop index 6 and the first of the
        // four 1s (index 1), and the last two of the three 5s (indices 5 and 7).
        MagnitudeRankRange range = MagnitudeRankRange.of(10, 2, 8);

        assertThat(Passes.run(range, values, Passes.uniform(10, 4))).isEqualTo(1);
        assertThat(Passes.decide(range, values, Passes.uniform(10, 3), false))
                .containsExactly(true, false, true, true, true, false, false, false, true, true);
        assertThat(range.kept()).isEqualTo(6);
    }

    @Test
    void sharesTheTieCountWhenBothCutsFallOnOneMagnitude() {
        float[] values = {0.1f, -0.1f, 0.1f, 0.1f, -0.1f};
        MagnitudeRankRange range = MagnitudeRankRange.of(5, 1, 3);

        // 0.1f has low bits set, so the search needs its second pass, over a single bucket.
        assertThat(Passes.run(range, values, Passes.uniform(5, 2))).isEqualTo(2);
        assertThat(Passes.decide(range, values, Passes.uniform(5, 5), true))
                .containsExactly(false, true, true, false, false);
    }

    @Test
    void keepsAllOrNothingAtTheEdgesWithoutAnyPass() {
        float[] values = {Float.NaN, -1, 0};
        MagnitudeRankRange all = MagnitudeRankRange.of(3, 0, 3);
        MagnitudeRankRange empty = MagnitudeRankRange.of(3, 2, 2);
        MagnitudeRankRange reversed = MagnitudeRankRange.of(3, 3, 1);

        assertThat(all.needsPass()).isFalse();
        assertThat(empty.needsPass()).isFalse();
        assertThat(reversed.needsPass()).isFalse();
        assertThat(Passes.decide(all, values, Passes.uniform(3, 1), false)).containsExactly(true, true, true);
        assertThat(Passes.decide(empty, values, Passes.uniform(3, 1), true)).containsExactly(false, false, false);
        assertThat(Passes.decide(reversed, values, Passes.uniform(3, 3), false)).containsExactly(false, false, false);
        assertThat(reversed.kept()).isZero();
    }

    @Test
    void dropsCountsFromBothEndsLikeMergekitsOutlierSparsifier() {
        float[] values = {2, -1, 1, 5, 1, -5, 0, 5, 1, 3};
        MagnitudeRankRange range = MagnitudeRankRange.dropping(10, 2, 2);
        Passes.run(range, values, Passes.uniform(10, 10));

        assertThat(Passes.decide(range, values, Passes.uniform(10, 10), false))
                .isEqualTo(Passes.decide(runAll(MagnitudeRankRange.of(10, 2, 8), values), values,
                        Passes.uniform(10, 10), false));
        assertThat(MagnitudeRankRange.dropping(10, 7, 5).kept()).isZero();
        assertThat(MagnitudeRankRange.dropping(10, 0, 0).needsPass()).isFalse();
        assertThat(MagnitudeRankRange.dropping(10, 20, 0).kept()).isZero();
        assertThat(MagnitudeRankRange.dropping(10, 3, 0).kept()).isEqualTo(7);
        assertThatThrownBy(() -> MagnitudeRankRange.dropping(10, -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsRanksOutsideTheTensor() {
        assertThatThrownBy(() -> MagnitudeRankRange.of(10, -1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MagnitudeRankRange.of(10, 0, 11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rank range [0, 11) is outside [0, 10]");
    }

    static Stream<TestData.Named> dataSets() {
        return TestData.sets(2_003, 13).stream();
    }

    @ParameterizedTest
    @MethodSource("dataSets")
    void matchesASortedOracleForEveryKindOfDataRangeAndChunking(TestData.Named data) {
        float[] values = data.values();
        int n = values.length;
        SplittableRandom random = new SplittableRandom(data.name().hashCode());
        int a = random.nextInt(n);
        int b = random.nextInt(n);
        long[][] ranges = {
                {0, n}, {0, 0}, {n, n}, {1, n - 1}, {n / 10, n - n / 100}, {0, n / 2}, {n / 2, n},
                {Math.min(a, b), Math.max(a, b)}, {a, a + 1}, {n - 1, n}, {0, 1}, {7, 3},
        };
        for (long[] range : ranges) {
            boolean[] expected = SortOracle.rankRange(values, range[0], range[1]);
            int[][] chunkings = {Passes.uniform(n, 1), Passes.uniform(n, 100), TestData.randomChunks(n, 700, random)};
            for (int c = 0; c < chunkings.length; c++) {
                MagnitudeRankRange selector = MagnitudeRankRange.of(n, range[0], range[1]);
                Passes.run(selector, values, chunkings[c]);
                int[] decideChunks = chunkings[(c + 1) % chunkings.length];
                assertThat(Passes.decide(selector, values, decideChunks, false))
                        .as("%s, ranks [%d, %d), chunking %d", data, range[0], range[1], c).isEqualTo(expected);
                assertThat(Passes.decide(selector, values, decideChunks, true))
                        .as("%s, ranks [%d, %d), chunking %d, per element", data, range[0], range[1], c)
                        .isEqualTo(expected);
                assertThat(Passes.zeroed(selector, values, decideChunks)).as("%s, zeroed in place, chunking %d", data, c)
                        .isEqualTo(Passes.expectedZeroed(values, expected));
            }
        }
    }

    @Test
    void keepingTheTopRanksPicksTheHighestIndexTiesUnlikeTopK() {
        float[] values = {4, 4, 4, 1};
        MagnitudeRankRange range = runAll(MagnitudeRankRange.of(4, 2, 4), values);
        MagnitudeTopK top = MagnitudeTopK.of(4, 2);
        Passes.run(top, values, Passes.uniform(4, 4));

        assertThat(Passes.decide(range, values, Passes.uniform(4, 4), false))
                .containsExactly(false, true, true, false);
        assertThat(Passes.decide(top, values, Passes.uniform(4, 4), false))
                .containsExactly(true, true, false, false);
    }

    private static MagnitudeRankRange runAll(MagnitudeRankRange selector, float[] values) {
        Passes.run(selector, values, Passes.uniform(values.length, values.length));
        return selector;
    }
}
