package dev.graft.testmodels;

/**
 * How the fine-tunes of a {@link FineTuneFamily} differ from their base. Scales are relative to each tensor's
 * {@link TensorBlueprint#deltaUnit()} (for weight matrices, the init standard deviation).
 *
 * @param rank         rank of the structured part of each matrix's delta (0 for none)
 * @param lowRankScale element spread of the low-rank part
 * @param noise        element spread of the dense noise added everywhere
 * @param outliers     entries per matrix shifted by a large amount
 * @param outlierScale size of those shifts
 * @param shared       the correlation ρ in [0, 1] of the fine-tunes' low-rank and noise parts: each is
 *                     {@code √ρ·S + √(1−ρ)·Oₖ} with {@code S} common to the family and {@code Oₖ} its own. It sets
 *                     how often two fine-tunes' deltas agree in sign, about {@code 1/2 + asin(ρ)/π} of the elements
 *                     (exactly so for Gaussian parts): half (the most sign conflicts) at 0, all at 1.
 * @param changed      the fraction in (0, 1] of each tensor's elements a fine-tune changes at all; the others keep
 *                     the base value exactly (delta 0), as in fine-tunes that touch few weights. 1 changes every
 *                     element. Outliers are added wherever they fall.
 */
public record DeltaProfile(int rank, double lowRankScale, double noise, int outliers, double outlierScale,
                           double shared, double changed) {
    /**
     * Rank 4, low-rank part 0.05, noise 0.01, and 4 outliers of 1 per matrix: deltas of about 5 % of the weights,
     * with outliers some 20 times the typical delta element.
     */
    public static final DeltaProfile DEFAULT = new DeltaProfile(4, 0.05, 0.01, 4, 1, 0, 1);

    /** A profile with independent fine-tunes ({@code shared} 0). */
    public DeltaProfile(int rank, double lowRankScale, double noise, int outliers, double outlierScale) {
        this(rank, lowRankScale, noise, outliers, outlierScale, 0, 1);
    }

    /** A profile that changes every element ({@code changed} 1). */
    public DeltaProfile(int rank, double lowRankScale, double noise, int outliers, double outlierScale,
                        double shared) {
        this(rank, lowRankScale, noise, outliers, outlierScale, shared, 1);
    }

    public DeltaProfile {
        if (rank < 0 || outliers < 0) {
            throw new IllegalArgumentException("rank and outlier count must not be negative");
        }
        if (!(lowRankScale >= 0 && noise >= 0 && outlierScale >= 0)) {
            throw new IllegalArgumentException("delta scales must be non-negative numbers");
        }
        if (!(shared >= 0 && shared <= 1)) {
            throw new IllegalArgumentException("shared must lie in [0, 1], not " + shared);
        }
        if (!(changed > 0 && changed <= 1)) {
            throw new IllegalArgumentException("changed must lie in (0, 1], not " + changed);
        }
    }
}
