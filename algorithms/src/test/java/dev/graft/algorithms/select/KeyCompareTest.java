package dev.graft.algorithms.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyCompareTest {

    @Test
    void agreesWithPlainComparisonsOverTheWholeKeyAndBoundRanges() {
        int[] keys = {0, 1, 0x3F80_0000, MagnitudeKey.INFINITY, MagnitudeKey.NAN};
        int[] bounds = {-1, 0, 1, 0x3F80_0000, MagnitudeKey.INFINITY, MagnitudeKey.NAN, MagnitudeKey.NAN + 1,
                Integer.MAX_VALUE};
        SplittableRandom random = new SplittableRandom(17);
        for (int round = 0; round < 10_000; round++) {
            int key = round < keys.length ? keys[round] : random.nextInt(MagnitudeKey.NAN + 1);
            for (int bound : round < keys.length ? bounds : new int[] {random.nextInt(-1, Integer.MAX_VALUE), key}) {
                assertThat(KeyCompare.above(key, bound)).as("%d > %d", key, bound).isEqualTo(key > bound ? 1 : 0);
                if (bound >= 0) {
                    assertThat(KeyCompare.below(key, bound)).as("%d < %d", key, bound).isEqualTo(key < bound ? 1 : 0);
                    assertThat(KeyCompare.equal(key, bound)).as("%d == %d", key, bound)
                            .isEqualTo(key == bound ? 1 : 0);
                }
            }
        }
    }

    @Test
    void callsTiesDenseAboveOneTwentieth() {
        assertThat(KeyCompare.denseTies(50, 1000)).isFalse();
        assertThat(KeyCompare.denseTies(51, 1000)).isTrue();
    }
}
