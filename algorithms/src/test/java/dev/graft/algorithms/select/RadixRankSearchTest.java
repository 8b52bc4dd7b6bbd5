package dev.graft.algorithms.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RadixRankSearchTest {

    @Test
    void locatesEveryRankLikeASortedCopy() {
        for (TestData.Named data : TestData.sets(1_500, 21)) {
            float[] values = data.values();
            int[] order = SortOracle.ascending(values);
            for (int r = 0; r < values.length; r += 37) {
                int other = values.length - 1 - r;
                RadixRankSearch search = new RadixRankSearch(values.length, r, other);
                boolean forward = true;
                while (search.needsPass()) {
                    // The search only counts, so chunks may come in any order.
                    if (forward) {
                        search.accept(values, 0, 700);
                        search.accept(values, 700, 800);
                    } else {
                        search.accept(values, 700, 800);
                        search.accept(values, 0, 700);
                    }
                    search.endPass();
                    forward = !forward;
                }
                assertThat(search.boundary(0)).as("%s rank %d", data, r).isEqualTo(expected(values, order, r));
                assertThat(search.boundary(1)).as("%s rank %d", data, other)
                        .isEqualTo(expected(values, order, other));
            }
        }
    }

    private static RankBoundary expected(float[] values, int[] order, int rank) {
        int key = MagnitudeKey.of(values[order[rank]]);
        long below = 0;
        long tied = 0;
        for (float v : values) {
            int k = MagnitudeKey.of(v);
            below += k < key ? 1 : 0;
            tied += k == key ? 1 : 0;
        }
        return new RankBoundary(key, below, tied);
    }

    @Test
    void needsNoPassWithoutRanksAndOneWhenEveryKeyIsAMultipleOfTwoToTheSixteen() {
        assertThat(new RadixRankSearch(5).needsPass()).isFalse();

        float[] values = {1f, -2f, 0.5f, Float.NEGATIVE_INFINITY, 0f};
        RadixRankSearch search = new RadixRankSearch(5, 1, 3);
        search.accept(values, 0, 5);
        search.endPass();

        assertThat(search.needsPass()).isFalse();
        assertThat(search.boundary(0)).isEqualTo(new RankBoundary(Float.floatToIntBits(0.5f), 1, 1));
        assertThat(search.boundary(1)).isEqualTo(new RankBoundary(Float.floatToIntBits(2f), 3, 1));
    }

    @Test
    void rejectsBadArgumentsAndEarlyQuestions() {
        assertThatThrownBy(() -> new RadixRankSearch(RadixRankSearch.MAX_ELEMENTS + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RadixRankSearch(10, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rank 10 is outside [0, 10)");
        assertThatThrownBy(() -> new RadixRankSearch(10, 1, 2, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RadixRankSearch(10, 1).boundary(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void describesRankBoundaries() {
        RankBoundary b = new RankBoundary(Float.floatToIntBits(2.5f), 4, 3);

        assertThat(b.tiesBefore(4)).isZero();
        assertThat(b.tiesBefore(6)).isEqualTo(2);
        assertThat(b.magnitude()).isEqualTo(2.5f);
        assertThatThrownBy(() -> b.tiesBefore(7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RankBoundary(-1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RankBoundary(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
