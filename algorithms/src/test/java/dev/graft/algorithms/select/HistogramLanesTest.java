package dev.graft.algorithms.select;

import dev.graft.algorithms.simd.MagnitudeKeyLanes;
import dev.graft.algorithms.simd.Simd;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The radix selection's vector loops count exactly what its scalar loops count, on every kind of data. */
class HistogramLanesTest {

    @Test
    void theTestsRunWithTheVectorApi() {
        // The build starts test JVMs with --add-modules jdk.incubator.vector, without which the tests below would be
        // skipped unseen. (Vectors narrower than 256 bits would still turn the vector loops off, and skip them.)
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
    }

    @Test
    void pass1CountsAndKeyBitsMatchTheScalarLoop() {
        assumeTrue(Simd.ENABLED);
        for (TestData.Named data : TestData.sets(10_007, 5)) {
            float[] values = data.values();
            for (int[] range : new int[][] {{0, values.length}, {3, 4_100}, {17, 17}, {9_000, 9_013}}) {
                int[] scalar = new int[2 * MagnitudeKey.HIGH_BUCKETS];
                int[] lanes = new int[2 * MagnitudeKey.HIGH_BUCKETS];
                int scalarUnion = RadixRankSearch.countHigh(values, range[0], range[1], scalar);
                int lanesUnion = RadixRankSearch.countHighInLanes(values, range[0], range[1], lanes,
                        new int[4096 + MagnitudeKeyLanes.slack()]);
                assertThat(lanesUnion).as("%s %s", data, Arrays.toString(range)).isEqualTo(scalarUnion);
                assertThat(lanes).as("%s %s", data, Arrays.toString(range)).isEqualTo(scalar);
            }
        }
    }

    @Test
    void pass2CountsMatchTheScalarLoopForEveryBucketPresent() {
        assumeTrue(Simd.ENABLED);
        for (TestData.Named data : TestData.sets(6_007, 8)) {
            float[] values = data.values();
            int[] buckets = Arrays.stream(new int[] {0, values.length / 2, values.length - 1})
                    .map(i -> MagnitudeKey.of(values[i]) >>> 16).distinct().toArray();
            for (int bucket : buckets) {
                int[] scalar = new int[1 << 16];
                int[] lanes = new int[1 << 16];
                RadixRankSearch.countLowOneBucket(values, 1, values.length, bucket, scalar);
                RadixRankSearch.countLowInLanes(values, 1, values.length, bucket, lanes,
                        new int[4096 + MagnitudeKeyLanes.slack()]);
                assertThat(lanes).as("%s, bucket %x", data, bucket).isEqualTo(scalar);
            }
        }
    }
}
