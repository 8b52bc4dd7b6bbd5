package dev.graft.algorithms.lora;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How {@link LoraComposition} combines adapters, with PEFT's {@code add_weighted_adapter} names. Each adapter
 * {@code i} has a user weight {@code wᵢ} and PEFT's scaling {@code sᵢ}; its delta is {@code Dᵢ = sᵢ·Bᵢ·Aᵢ}.
 */
public enum CombinationMethod {
    /** Exact: {@code A = [w₁s₁A₁; w₂s₂A₂; …]}, {@code B = [B₁ B₂ …]}, so {@code B·A = Σ wᵢ·Dᵢ}; rank {@code Σ rᵢ}. */
    CAT(false),
    /**
     * PEFT's factor-wise sum (equal ranks): {@code A = Σ sign(wᵢsᵢ)·√|wᵢsᵢ|·Aᵢ}, {@code B = Σ √|wᵢsᵢ|·Bᵢ}. Not
     * {@code Σ wᵢ·Dᵢ}: the product has cross terms {@code Bᵢ·Aⱼ} (exact for one adapter).
     */
    LINEAR(false),
    /** {@code Σ wᵢ·Dᵢ}, re-factored by a truncated SVD. */
    SVD(true),
    /** TIES on the deltas (magnitude pruning to the density, majority sign, disjoint mean), then SVD. */
    TIES_SVD(true),
    /** DARE on the deltas (random pruning to the density, rescaled), weighted sum, then SVD. */
    DARE_LINEAR_SVD(true),
    /** DARE pruning, then TIES' sign election and disjoint mean, then SVD. */
    DARE_TIES_SVD(true),
    /** Magnitude pruning of each delta to the density, weighted sum, then SVD. */
    MAGNITUDE_PRUNE_SVD(true);

    private final boolean svd;

    CombinationMethod(boolean svd) {
        this.svd = svd;
    }

    /** Whether the combined delta is re-factored by an SVD. */
    public boolean usesSvd() {
        return svd;
    }

    /** Whether the method prunes with a density. */
    public boolean usesDensity() {
        return this == TIES_SVD || this == DARE_LINEAR_SVD || this == DARE_TIES_SVD || this == MAGNITUDE_PRUNE_SVD;
    }

    /** The PEFT name ({@code dare_ties_svd}). */
    public String peftName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The method of a PEFT name. */
    public static Optional<CombinationMethod> parse(String name) {
        return Arrays.stream(values()).filter(m -> m.peftName().equals(name.strip().toLowerCase(Locale.ROOT)))
                .findFirst();
    }
}
