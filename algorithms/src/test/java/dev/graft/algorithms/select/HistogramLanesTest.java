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

    @Test
    void differencesFedDirectlyFindTheSameBoundariesAsComputedOnes() {
        for (TestData.Named data : TestData.sets(9_001, 13)) {
            float[] values = data.values();
            int n = values.length;
            float[] base = new float[n + 5];
            float[] x = new float[n + 5];
            java.util.SplittableRandom random = new java.util.SplittableRandom(data.name().hashCode());
            for (int i = 0; i < n; i++) {
                base[5 + i] = (float) random.nextGaussian();
                x[5 + i] = base[5 + i] + values[i];
            }
            float[] differences = new float[n];
            for (int i = 0; i < n; i++) {
                differences[i] = x[5 + i] - base[5 + i];
            }
            long[] ranks = {n / 3, n - n / 5};
            RadixRankSearch direct = new RadixRankSearch(n, ranks);
            RadixRankSearch computed = new RadixRankSearch(n, ranks);
            float[] scratch = new float[1_000];
            while (direct.needsPass()) {
                for (int at = 0; at < n; at += 1_000) {
                    direct.acceptDifference(x, base, 5 + at, Math.min(1_000, n - at), scratch);
                }
                direct.endPass();
            }
            while (computed.needsPass()) {
                computed.accept(differences, 0, n);
                computed.endPass();
            }
            for (int r = 0; r < ranks.length; r++) {
                assertThat(direct.boundary(r)).as("%s, rank %d", data, ranks[r]).isEqualTo(computed.boundary(r));
            }
            assertThat(direct.allFinite()).isEqualTo(computed.allFinite());
        }
    }
}
