package dev.graft.algorithms.select;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Brute-force reference: sorts every index by magnitude with an index tie-break and reads the selection off it.
 *
 * <p>The magnitude order is written independently of {@link MagnitudeKey}: {@code Float.compare} on {@code |x|},
 * which treats every NaN as equal and above +infinity (as torch.sort does), and {@code Math.abs} maps -0 to +0.
 */
final class SortOracle {

    private SortOracle() {
    }

    /** Indices in ascending magnitude order, ties by ascending index (a stable ascending sort of |x|). */
    static int[] ascending(float[] values) {
        return sorted(values, magnitude(values));
    }

    /** Indices in descending magnitude order, ties by ascending index (a stable descending sort of |x|). */
    static int[] descending(float[] values) {
        return sorted(values, magnitude(values).reversed());
    }

    static boolean[] topK(float[] values, long k) {
        int[] order = descending(values);
        boolean[] keep = new boolean[values.length];
        for (int r = 0; r < Math.min(k, values.length); r++) {
            keep[order[r]] = true;
        }
        return keep;
    }

    static boolean[] rankRange(float[] values, long from, long to) {
        int[] order = ascending(values);
        boolean[] keep = new boolean[values.length];
        for (long r = from; r < to; r++) {
            keep[order[(int) r]] = true;
        }
        return keep;
    }

    private static Comparator<Integer> magnitude(float[] values) {
        return (i, j) -> Float.compare(Math.abs(values[i]), Math.abs(values[j]));
    }

    private static int[] sorted(float[] values, Comparator<Integer> order) {
        return IntStream.range(0, values.length).boxed()
                .sorted(order.thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }
}
