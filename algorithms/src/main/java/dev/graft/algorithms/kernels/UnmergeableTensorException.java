package dev.graft.algorithms.kernels;

import dev.graft.formats.FormatException;

/**
 * A tensor that the method cannot merge with these inputs and parameters, found while merging it: multislerp's
 * models whose weighted directions cancel, nuslerp's column mode on a tensor with too many columns. Nothing is
 * written; the message is one line naming the method and the tensor and saying what to change.
 */
public final class UnmergeableTensorException extends FormatException {
    private final String tensor;

    /**
     * @param tensor  the output tensor
     * @param message the whole one-line message
     */
    public UnmergeableTensorException(String tensor, String message) {
        super(null, message);
        this.tensor = tensor;
    }

    /** The tensor that could not be merged. */
    public String tensor() {
        return tensor;
    }
}
