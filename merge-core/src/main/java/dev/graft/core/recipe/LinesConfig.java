package dev.graft.core.recipe;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Graft's {@code lines:} extension: LiNeS layer-increasing scaling of the merged task vector (Wang et al., ICLR
 * 2025, arXiv 2410.17146). Block {@code i} of {@code L} is scaled by {@code α + β·i/(L−1)}.
 *
 * @param alpha the scale of the shallowest block and of tensors outside blocks; empty for {@code alpha: auto}, the
 *              paper's multi-task alpha {@code (‖Σ τₜ‖₁ / ‖τ_merged‖₁) / T}, measured in a first pass over the model
 * @param beta  the extra scale the deepest block gets over the shallowest ({@code 0} when not written)
 */
public record LinesConfig(OptionalDouble alpha, double beta) {

    /** The spelling of an automatic alpha. */
    public static final String AUTO = "auto";

    public LinesConfig {
        Objects.requireNonNull(alpha, "alpha");
    }

    /** Whether alpha was written as {@value #AUTO}. */
    public boolean isAutoAlpha() {
        return alpha.isEmpty();
    }
}
