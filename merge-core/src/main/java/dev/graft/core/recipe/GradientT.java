package dev.graft.core.recipe;

import dev.graft.formats.model.Architecture;

import java.util.OptionalInt;

/**
 * The layer position {@code t} at which gradients and choices are evaluated, as mergekit's planner computes it.
 *
 * <p>Within an output slice of {@code L} blocks, block {@code i} (counted from the slice's start) has
 * {@code t = i/(L−1)}, and {@code t = 1} when the slice has one block, so gradients span each slice, not the
 * whole model. Tensors outside the blocks (embeddings, final norm, {@code lm_head}) have {@code t = 0}, the
 * gradient's first value, even the ones after the last block.
 */
public final class GradientT {
    /** {@code t} for a tensor outside the blocks. */
    public static final double OUTSIDE_BLOCKS = 0;

    private GradientT() {
    }

    /**
     * {@code t} for block {@code index} of a slice of {@code layers} blocks.
     *
     * @throws IllegalArgumentException when the index is not inside the slice
     */
    public static double forLayer(int index, int layers) {
        if (index < 0 || index >= layers) {
            throw new IllegalArgumentException("layer " + index + " outside a slice of " + layers + " layers");
        }
        return layers > 1 ? (double) index / (layers - 1) : 1;
    }

    /**
     * {@code t} for a tensor of a merge whose output is one slice of {@code layers} blocks, as every
     * {@code models:} recipe is: its block index ({@link Architecture#blockIndex}) or {@link #OUTSIDE_BLOCKS}.
     */
    public static double forTensor(String tensorName, int layers) {
        OptionalInt block = Architecture.blockIndex(tensorName);
        return block.isPresent() ? forLayer(block.getAsInt(), layers) : OUTSIDE_BLOCKS;
    }
}
