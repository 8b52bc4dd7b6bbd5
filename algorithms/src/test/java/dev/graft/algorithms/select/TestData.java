package dev.graft.algorithms.select;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Data sets that stress the selectors: continuous values, heavy ties, special values, bfloat16-exact values. */
final class TestData {

    /** NaNs with different signs and payloads: all must rank as one value. */
    static final float[] NANS = {
            Float.NaN,
            Float.intBitsToFloat(0xFFC0_0000),
            Float.intBitsToFloat(0x7F80_0001),
            Float.intBitsToFloat(0xFFFF_FFFF),
            Float.intBitsToFloat(0x7FBF_FFFF),
    };

    private static final float[] SPECIALS = {
            0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.intBitsToFloat(0x007F_FFFF), Float.MAX_VALUE,
            -Float.MAX_VALUE, 1f, -1f, Math.nextUp(1f), -Math.nextDown(1f),
    };

    private TestData() {
    }

    /** Named data sets of the given size. */
    static List<Named> sets(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Named> sets = new ArrayList<>();
        sets.add(new Named("gaussian", fill(n, () -> (float) (random.nextGaussian() * 1e-3))));
        float[] small = {0f, -0f, 0.5f, -0.5f, 1f, -1f, 2f, -3f};
        sets.add(new Named("few values", fill(n, () -> small[random.nextInt(small.length)])));
        sets.add(new Named("specials", fill(n, () -> random.nextInt(3) == 0
                ? NANS[random.nextInt(NANS.length)]
                : SPECIALS[random.nextInt(SPECIALS.length)])));
        sets.add(new Named("mixed", fill(n, () -> switch (random.nextInt(4)) {
            case 0 -> SPECIALS[random.nextInt(SPECIALS.length)];
            case 1 -> small[random.nextInt(small.length)];
            case 2 -> Float.intBitsToFloat(random.nextInt()); // any bit pattern: subnormals, NaN payloads, huge
            default -> (float) random.nextGaussian();
        })));
        // bfloat16-exact values: every key's low 16 bits are zero, so one pass suffices.
        sets.add(new Named("bf16", fill(n, () -> Float.intBitsToFloat(
                Float.floatToRawIntBits((float) random.nextGaussian()) & 0xFFFF_0000))));
        sets.add(new Named("constant", fill(n, () -> -0.25f)));
        // Values differing only in the low 16 bits: everything lands in one pass-1 bucket.
        sets.add(new Named("one bucket", fill(n, () -> Float.intBitsToFloat(0x3F80_0000 | random.nextInt(8)))));
        return sets;
    }

    private static float[] fill(int n, FloatSource source) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = source.next();
        }
        return values;
    }

    /** Splits {@code n} into random chunk sizes in {@code [1, maxChunk]}. */
    static int[] randomChunks(int n, int maxChunk, SplittableRandom random) {
        List<Integer> sizes = new ArrayList<>();
        for (int done = 0; done < n; ) {
            int size = Math.min(n - done, 1 + random.nextInt(maxChunk));
            sizes.add(size);
            done += size;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    @FunctionalInterface
    private interface FloatSource {
        float next();
    }

    record Named(String name, float[] values) {
        @Override
        public String toString() {
            return name;
        }
    }
}
