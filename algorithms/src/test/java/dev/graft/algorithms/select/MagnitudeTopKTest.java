package dev.graft.algorithms.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MagnitudeTopKTest {

    private static final float NAN = Float.NaN;

    @Test
    void keepsTheLargestMagnitudesAndTheLowestIndexTiesAtTheThreshold() {
        //               0   1   2    3   4   5   6    7
        float[] values = {3, -1, 2, -3, 0, 3, NAN, 1};
        MagnitudeTopK top = MagnitudeTopK.of(values.length, 3);

        // The cut falls on |x| = 3, a key with zero low bits (the smallest of its bucket): pass 1 pins it.
        assertThat(Passes.run(top, values, Passes.uniform(8, 3))).isEqualTo(1);
        // NaN ranks above every number; then three elements tie at |x| = 3 and only the first two fit.
        assertThat(Passes.decide(top, values, Passes.uniform(8, 3), false))
                .containsExactly(true, false, false, true, false, false, true, false);
        assertThat(top.threshold()).isEqualTo(new RankBoundary(Float.floatToIntBits(3f), 4, 3));
        assertThat(top.threshold().magnitude()).isEqualTo(3f);
        assertThat(top.kept()).isEqualTo(3);
    }

    @Test
    void treatsEveryNanAsTheLargestMagnitudeAndAllNansAsTied() {
        float[] values = {Float.POSITIVE_INFINITY, TestData.NANS[3], 1, TestData.NANS[2], TestData.NANS[1], -0f};
        MagnitudeTopK top = MagnitudeTopK.of(values.length, 2);
        Passes.run(top, values, Passes.uniform(6, 6));

        assertThat(Passes.decide(top, values, Passes.uniform(6, 6), true))
                .containsExactly(false, true, false, true, false, false);
        assertThat(top.threshold()).isEqualTo(new RankBoundary(MagnitudeKey.NAN, 3, 3));
        assertThat(top.threshold().magnitude()).isNaN();
    }

    @Test
    void treatsPlusAndMinusZeroAsTied() {
        float[] values = {-0f, 0f, -0f, 0f};
        MagnitudeTopK top = MagnitudeTopK.of(4, 3);

        assertThat(Passes.run(top, values, Passes.uniform(4, 1))).isEqualTo(1);
        assertThat(Passes.decide(top, values, Passes.uniform(4, 1), false)).containsExactly(true, true, true, false);
        assertThat(top.threshold()).isEqualTo(new RankBoundary(0, 0, 4));
    }

    @Test
    void keepsNothingForKZeroAndEverythingForKAtLeastNWithoutAnyPass() {
        float[] values = {NAN, -2, 0, 5};
        MagnitudeTopK none = MagnitudeTopK.of(4, 0);
        MagnitudeTopK all = MagnitudeTopK.of(4, 4);
        MagnitudeTopK more = MagnitudeTopK.of(4, 100);

        assertThat(none.needsPass()).isFalse();
        assertThat(all.needsPass()).isFalse();
        assertThat(more.needsPass()).isFalse();
        assertThat(Passes.decide(none, values, Passes.uniform(4, 4), false)).containsExactly(false, false, false, false);
        assertThat(Passes.decide(all, values, Passes.uniform(4, 4), true)).containsExactly(true, true, true, true);
        assertThat(Passes.decide(more, values, Passes.uniform(4, 4), false)).containsExactly(true, true, true, true);
        assertThat(more.kept()).isEqualTo(4);
        assertThatThrownBy(none::threshold).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void handlesAnEmptyTensor() {
        MagnitudeTopK top = MagnitudeTopK.of(0, 0);

        assertThat(top.needsPass()).isFalse();
        assertThat(Passes.decide(top, new float[0], new int[0], false)).isEmpty();
    }

    static Stream<TestData.Named> dataSets() {
        return TestData.sets(3_001, 7).stream();
    }

    @ParameterizedTest
    @MethodSource("dataSets")
    void matchesASortedOracleForEveryKindOfDataKAndChunking(TestData.Named data) {
        float[] values = data.values();
        int n = values.length;
        SplittableRandom random = new SplittableRandom(data.name().hashCode());
        long[] ks = {0, 1, 2, n / 3, n / 2, n - 1, n, n + 1, random.nextInt(n), random.nextInt(n)};
        for (long k : ks) {
            boolean[] expected = SortOracle.topK(values, k);
            int[][] chunkings = {
                    Passes.uniform(n, 1), Passes.uniform(n, 64), Passes.uniform(n, n),
                    TestData.randomChunks(n, 500, random),
            };
            for (int c = 0; c < chunkings.length; c++) {
                MagnitudeTopK top = MagnitudeTopK.of(n, k);
                int passes = Passes.run(top, values, chunkings[c]);
                // Decide with a different chunking than the passes used: the result must not depend on it.
                int[] decideChunks = chunkings[(c + 1) % chunkings.length];
                assertThat(Passes.decide(top, values, decideChunks, false))
                        .as("%s, k = %d, chunking %d", data, k, c).isEqualTo(expected);
                assertThat(Passes.decide(top, values, decideChunks, true))
                        .as("%s, k = %d, chunking %d, per element", data, k, c).isEqualTo(expected);
                assertThat(Passes.zeroed(top, values, decideChunks)).as("%s, zeroed in place, chunking %d", data, c)
                        .isEqualTo(Passes.expectedZeroed(values, expected));
                assertThat(passes).as("passes for %s, k = %d", data, k)
                        .isEqualTo(k == 0 || k >= n ? 0 : lowBitsAllZero(values) || cutKeyHasZeroLowBits(values, k) ? 1 : 2);
            }
        }
    }

    /**
     * Whether the key at the cut (the k-th largest) has zero low bits: it is then the smallest key of its bucket,
     * whose count pass 1 keeps, so pass 1 pins the cut.
     */
    static boolean cutKeyHasZeroLowBits(float[] values, long k) {
        int[] keys = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            keys[i] = MagnitudeKey.of(values[i]);
        }
        java.util.Arrays.sort(keys);
        return (keys[(int) (values.length - k)] & 0xFFFF) == 0;
    }

    /** Whether pass 1 pins every key: no magnitude key has any of its low 16 bits set. */
    static boolean lowBitsAllZero(float[] values) {
        for (float v : values) {
            if ((MagnitudeKey.of(v) & 0xFFFF) != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void keepsExactlyKElements() {
        SplittableRandom random = new SplittableRandom(11);
        for (TestData.Named data : TestData.sets(10_000, 3)) {
            long k = random.nextInt(10_000);
            MagnitudeTopK top = MagnitudeTopK.of(10_000, k);
            Passes.run(top, data.values(), Passes.uniform(10_000, 999));
            boolean[] keep = Passes.decide(top, data.values(), Passes.uniform(10_000, 4096), false);
            int kept = 0;
            for (boolean b : keep) {
                kept += b ? 1 : 0;
            }
            assertThat(kept).as("%s", data).isEqualTo((int) k);
        }
    }

    @Test
    void aFractionOfTheNonzeroMagnitudesIsCountedInTheFirstSelectionPass() {
        for (TestData.Named data : TestData.sets(5_000, 9)) {
            float[] values = data.values();
            long nonzero = 0;
            for (float v : values) {
                nonzero += v != 0 ? 1 : 0;
            }
            for (double fraction : new double[] {0.3, 0.75, 1}) {
                MagnitudeTopK top = MagnitudeTopK.ofNonzeroFraction(values.length, fraction);
                int passes = Passes.run(top, values, Passes.uniform(values.length, 999));
                long k = (long) (nonzero * fraction);
                assertThat(passes).as("%s %s", data, fraction).isBetween(1, 2);
                assertThat(top.kept()).as("%s %s", data, fraction).isEqualTo(k);
                assertThat(Passes.decide(top, values, Passes.uniform(values.length, 4096), false))
                        .as("%s %s", data, fraction).isEqualTo(SortOracle.topK(values, k));
            }
        }
        MagnitudeTopK none = MagnitudeTopK.ofNonzeroFraction(10, 0);
        assertThat(none.needsPass()).isFalse();
        assertThat(none.kept()).isZero();
        // One nonzero value: ⌊0.5·1⌋ = 0 keeps nothing, and the search ends with its first pass.
        MagnitudeTopK tiny = MagnitudeTopK.ofNonzeroFraction(4, 0.5);
        assertThat(Passes.run(tiny, new float[] {0, 0, 7, -0f}, new int[] {4})).isEqualTo(1);
        assertThat(Passes.decide(tiny, new float[] {0, 0, 7, -0f}, new int[] {4}, true))
                .containsExactly(false, false, false, false);
    }

    @Test
    void aChunkLongerThanTheQuotaLeftIsSettledWhenItsCountedTiesFit() {
        //               0  1  2  3  4  5  6  7  8  9
        float[] values = {5, 1, 1, 0, 1, 2, 1, 1, 0, 1};
        // k = 5: 5 and 2 above the cut, then three of the six ties at |x| = 1 (indices 1, 2, 4).
        MagnitudeTopK top = MagnitudeTopK.of(values.length, 5);
        Passes.run(top, values, Passes.uniform(10, 10));
        KeepMask mask = top.mask();
        float keepTies = 1f; // |x| >= 1 keeps the ties
        float dropTies = Math.nextUp(1f); // |x| > 1 drops them

        assertThat(mask.tieMagnitude()).isEqualTo(1f);
        assertThat(mask.settledBound(4)).as("4 elements, a quota of 3").isNaN();
        assertThat(mask.settledBound(4, 2)).as("elements 0-3 hold 2 ties").isEqualTo(keepTies);
        mask.skip(4, 2);
        assertThat(mask.settledBound(4, 3)).as("elements 4-7 hold 3 ties, 1 fits").isNaN();
        assertThat(mask.settledBound(1, 1)).as("element 4 alone").isEqualTo(keepTies);
        mask.skip(1, 1);
        assertThat(mask.tieMagnitude()).as("quota used up").isNaN();
        assertThat(mask.settledBound(5)).isEqualTo(dropTies);
        assertThat(mask.settledBound(5, 3)).isEqualTo(dropTies);
    }

    @Test
    void mixesPerElementAndBulkDecisionsInOneMask() {
        float[] values = TestData.sets(1_000, 5).get(1).values(); // few values: ties everywhere
        MagnitudeTopK top = MagnitudeTopK.of(1_000, 400);
        Passes.run(top, values, Passes.uniform(1_000, 128));
        KeepMask mask = top.mask();
        boolean[] keep = new boolean[1_000];
        for (int i = 0; i < 1_000; ) {
            if (i % 2 == 0) {
                keep[i] = mask.keep(values[i]);
                i++;
            } else {
                int size = Math.min(37, 1_000 - i);
                mask.fill(values, i, size, keep, i);
                i += size;
            }
        }

        assertThat(keep).isEqualTo(SortOracle.topK(values, 400));
    }

    @Test
    void rejectsPassesThatMissElementsOrComeTooOften() {
        float[] values = {1, 2, 3, 4};
        MagnitudeTopK top = MagnitudeTopK.of(4, 2);
        top.accept(values, 0, 3);

        assertThatThrownBy(top::endPass).isInstanceOf(IllegalStateException.class)
                .hasMessage("the pass saw 3 elements, expected 4");
        assertThatThrownBy(top::mask).isInstanceOf(IllegalStateException.class);

        MagnitudeTopK done = MagnitudeTopK.of(4, 2);
        Passes.run(done, values, Passes.uniform(4, 4));
        assertThatThrownBy(() -> done.accept(values, 0, 4)).isInstanceOf(IllegalStateException.class)
                .hasMessage("no pass is pending");
        assertThatThrownBy(done::endPass).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MagnitudeTopK.of(4, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MagnitudeTopK.of(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> top.accept(values, 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void detectsDataThatChangedBetweenPasses() {
        float[] first = {1.5001f, 1.25f, 1.75f, 1.0001f};
        // Pass 1 put the cut at 1.5001, in the bucket of 1.5 (top 16 bits 0x3FC0); 1.5001 has low bits set, so a
        // second pass is needed, and in it one more element lands in that bucket.
        float[] second = {1.5001f, 1.25f, 1.75f, 1.5002f};
        MagnitudeTopK top = MagnitudeTopK.of(4, 2);
        top.accept(first, 0, 4);
        top.endPass();
        top.accept(second, 0, 4);

        assertThatThrownBy(top::endPass).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the data changed between passes");
    }

    @Test
    void drivesSeveralSelectorsOverSharedPassesThoughTheyNeedDifferentPassCounts() {
        SplittableRandom random = new SplittableRandom(5);
        float[][] models = {
                TestData.sets(2_000, 1).get(0).values(), // two passes
                TestData.sets(2_000, 2).get(4).values(), // bf16: one pass
                TestData.sets(2_000, 3).get(2).values(), // k = 0: no pass
        };
        MagnitudeSelector[] selectors = {
                MagnitudeTopK.of(2_000, 700), MagnitudeTopK.of(2_000, 1_500), MagnitudeTopK.of(2_000, 0),
        };
        int[] chunks = TestData.randomChunks(2_000, 300, random);
        int passes = 0;
        while (Stream.of(selectors).anyMatch(MagnitudeSelector::needsPass)) {
            boolean[] pending = new boolean[selectors.length];
            for (int m = 0; m < selectors.length; m++) {
                pending[m] = selectors[m].needsPass();
            }
            int offset = 0;
            for (int size : chunks) {
                for (int m = 0; m < selectors.length; m++) {
                    if (pending[m]) {
                        selectors[m].accept(models[m], offset, size);
                    }
                }
                offset += size;
            }
            for (int m = 0; m < selectors.length; m++) {
                if (pending[m]) {
                    selectors[m].endPass();
                }
            }
            passes++;
        }

        assertThat(passes).isEqualTo(2);
        long[] ks = {700, 1_500, 0};
        for (int m = 0; m < selectors.length; m++) {
            assertThat(Passes.decide(selectors[m], models[m], chunks, false)).as("model %d", m)
                    .isEqualTo(SortOracle.topK(models[m], ks[m]));
        }
    }
}
