package dev.graft.core.plan;

import java.util.OptionalDouble;

/**
 * LiNeS (Wang et al., ICLR 2025): the merged task vector of block {@code i} of {@code L} is scaled by
 * {@code alpha + beta·i/(L−1)}; tensors outside the blocks by {@code alpha}.
 *
 * @param alpha the scale of the first block and of everything outside blocks; empty for {@code auto}, the paper's
 *              multi-task choice {@code (‖Σ τₜ‖₁ / ‖τ_merged‖₁) / T}, computed in a first pass
 * @param beta  the increase from the first to the last block
 */
public record LinesSetting(OptionalDouble alpha, double beta) {
    /** The scale of block {@code i} of {@code layers}; {@code i < 0} means outside the blocks. */
    public double scale(double alphaValue, int i, int layers) {
        if (i < 0) {
            return alphaValue;
        }
        return alphaValue + (layers <= 1 ? beta : beta * i / (layers - 1));
    }
}
