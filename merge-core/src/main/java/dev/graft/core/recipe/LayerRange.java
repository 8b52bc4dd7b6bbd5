package dev.graft.core.recipe;

/**
 * The blocks a slice takes from one model: the half-open range {@code [start, end)}, as mergekit's
 * {@code layer_range: [start, end]} (so {@code [0, 24]} is blocks 0 to 23).
 *
 * <p>Empty ranges are representable because a {@code models:} recipe over a model without blocks normalises to
 * one; a recipe that writes one is rejected when parsed.
 *
 * @param start the first block, from 0
 * @param end   one past the last block, at least {@code start}
 */
public record LayerRange(int start, int end) {

    public LayerRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid layer range [" + start + ", " + end + ")");
        }
    }

    /** The number of blocks, {@code end − start}. */
    public int length() {
        return end - start;
    }

    /** The input block for the {@code offset}-th block of the slice. */
    public int layer(int offset) {
        if (offset < 0 || offset >= length()) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside a slice of " + length() + " layers");
        }
        return start + offset;
    }

    /** As written in a recipe: {@code [0, 24]}. */
    @Override
    public String toString() {
        return "[" + start + ", " + end + "]";
    }
}
