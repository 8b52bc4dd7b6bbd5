package dev.graft.evaluation.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Inputs and labels: {@code size} inputs of {@code inputs} values each (row-major in {@code x}) and, per example,
 * one label per teacher ({@code labels[t][n]}).
 */
public record Dataset(int size, int inputs, float[] x, int[][] labels) {
    /**
     * Draws {@code size} inputs {@code center + spread·z}, {@code z} standard normal, and labels them with every
     * teacher.
     */
    public static Dataset draw(List<Teacher> teachers, InputRegion region, int size, SplittableRandom rng) {
        int d = teachers.getFirst().inputs();
        float[] x = new float[size * d];
        for (int n = 0; n < size; n++) {
            region.sample(x, n * d, rng);
        }
        int[][] labels = new int[teachers.size()][size];
        for (int t = 0; t < teachers.size(); t++) {
            for (int n = 0; n < size; n++) {
                labels[t][n] = teachers.get(t).label(x, n * d);
            }
        }
        return new Dataset(size, d, x, labels);
    }

    /** Draws a dataset labelled by one teacher. */
    public static Dataset draw(Teacher teacher, InputRegion region, int size, SplittableRandom rng) {
        return draw(List.of(teacher), region, size, rng);
    }
}
