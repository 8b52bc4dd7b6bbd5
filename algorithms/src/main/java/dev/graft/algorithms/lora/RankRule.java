package dev.graft.algorithms.lora;

/**
 * How many singular triplets a module keeps: a fixed rank, or the smallest rank whose singular values hold a given
 * fraction of the delta's energy ({@code Σ_{i≤r} σᵢ² ≥ E·‖ΔW‖²_F}), capped at a maximum. Either way the rank is at
 * most {@code min(out, in)}.
 *
 * @param rank    the fixed rank, or 0 in energy mode
 * @param energy  the energy fraction in (0, 1], or 0 in fixed mode
 * @param maxRank the cap in energy mode (the number of triplets computed)
 */
public record RankRule(int rank, double energy, int maxRank) {
    /** The cap when none is given: enough for most fine-tunes, and bounded so randomized SVD stays cheap. */
    public static final int DEFAULT_MAX_RANK = 256;

    public RankRule {
        if (rank == 0 && !(energy > 0 && energy <= 1)) {
            throw new IllegalArgumentException("energy must be in (0, 1], not " + energy);
        }
        if (rank < 0 || maxRank < 1) {
            throw new IllegalArgumentException("ranks must be positive (rank " + rank + ", max rank " + maxRank + ")");
        }
    }

    /** Rank {@code r} for every module. */
    public static RankRule fixed(int r) {
        if (r < 1) {
            throw new IllegalArgumentException("rank must be at least 1, not " + r);
        }
        return new RankRule(r, 0, r);
    }

    /** The smallest rank keeping {@code fraction} of the energy, at most {@code maxRank}. */
    public static RankRule energy(double fraction, int maxRank) {
        return new RankRule(0, fraction, maxRank);
    }

    /** Whether the rank is chosen from the spectrum. */
    public boolean byEnergy() {
        return rank == 0;
    }

    /** The number of triplets to compute for a module of at most {@code fullRank}. */
    int triplets(int fullRank) {
        return Math.min(byEnergy() ? maxRank : rank, fullRank);
    }

    /**
     * The rank to keep, given the computed singular values and the delta's squared Frobenius norm.
     *
     * @param s     singular values, descending ({@link #triplets} of them)
     * @param total {@code ‖ΔW‖²_F}
     */
    int choose(float[] s, double total) {
        if (!byEnergy()) {
            return s.length;
        }
        double goal = energy * total;
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            sum += (double) s[i] * s[i];
            if (sum >= goal) {
                return i + 1;
            }
        }
        return s.length;
    }

    @Override
    public String toString() {
        return byEnergy() ? "energy " + energy + " (max rank " + maxRank + ")" : "rank " + rank;
    }
}
