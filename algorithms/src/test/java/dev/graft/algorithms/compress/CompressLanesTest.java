package dev.graft.algorithms.compress;

import dev.graft.algorithms.simd.GatherLanes;
import dev.graft.algorithms.simd.Simd;
import dev.graft.algorithms.simd.SumLanes;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** ComPEFT's vector loops give the bits its scalar loops give. */
class CompressLanesTest {

    @Test
    void sumsAndSquaresAreTheScalarOnesToTheBit() {
        assumeTrue(Simd.ENABLED);
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[5_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-8, 8)));
        }
        for (int[] range : new int[][] {{0, 5_000}, {1, 4_093}, {7, 7}, {5, 0}, {4_990, 10}}) {
            double[] s1 = new double[SumLanes.ACCUMULATORS];
            double[] q1 = new double[SumLanes.ACCUMULATORS];
            double[] s2 = new double[SumLanes.ACCUMULATORS];
            double[] q2 = new double[SumLanes.ACCUMULATORS];
            ChunkSums.addSumAndSquaresScalar(values, range[0], range[1], s1, q1);
            SumLanes.addSumAndSquares(values, range[0], range[1], s2, q2);
            assertThat(bits(s2)).as(Arrays.toString(range)).isEqualTo(bits(s1));
            assertThat(bits(q2)).as(Arrays.toString(range)).isEqualTo(bits(q1));
        }
    }

    @Test
    void gatheringTheKeptOffsetsMatchesTheScalarLoop() {
        assumeTrue(Simd.ENABLED);
        SplittableRandom random = new SplittableRandom(4);
        float[] few = {0f, -0f, 0.25f, -0.25f, 0.5f, -1f, Float.MIN_VALUE, Float.MAX_VALUE};
        float[] values = new float[3_001];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextBoolean() ? few[random.nextInt(few.length)] : (float) random.nextGaussian();
        }
        for (float least : new float[] {0f, Float.MIN_VALUE, 0.25f, Math.nextUp(0.25f), 0.5f, 3f,
                Float.MAX_VALUE, Float.POSITIVE_INFINITY}) {
            for (float tie : new float[] {0f, 0.25f, 0.5f, Float.NaN}) {
                int[] scalar = new int[values.length];
                int[] lanes = new int[values.length + GatherLanes.slack()];
                long s = ComPeft.gatherFinite(values, 2, 2_999, least, tie, new int[values.length], scalar);
                long v = GatherLanes.atLeast(values, 2, 2_999, least, tie, lanes);
                assertThat(v).as("least %s, tie %s", least, tie).isEqualTo(s);
                assertThat(Arrays.copyOf(lanes, (int) v)).isEqualTo(Arrays.copyOf(scalar, (int) s));
            }
        }
    }

    private static long[] bits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
