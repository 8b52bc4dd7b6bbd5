package dev.graft.linalg;

/**
 * Parameters of a randomized truncated SVD (Halko, Martinsson and Tropp 2011, Algorithm 4.4 with a QR after every
 * product).
 *
 * @param rank            the number of singular triplets wanted, r ≥ 1
 * @param oversampling    extra sketch columns p ≥ 0; the sketch has r + p columns (10 is the usual choice)
 * @param powerIterations subspace iterations q ≥ 0; each sharpens a slowly decaying spectrum (2 is the usual choice)
 * @param seed            the seed of the Gaussian sketch: the same seed gives the same result
 */
public record RandomizedSvdOptions(int rank, int oversampling, int powerIterations, long seed) {
    /** The default oversampling p. */
    public static final int DEFAULT_OVERSAMPLING = 10;
    /** The default number of power iterations q. */
    public static final int DEFAULT_POWER_ITERATIONS = 2;

    /** Checks the ranges. */
    public RandomizedSvdOptions {
        if (rank < 1) {
            throw new IllegalArgumentException("randomized SVD rank must be at least 1, got " + rank);
        }
        if (oversampling < 0) {
            throw new IllegalArgumentException("randomized SVD oversampling must be at least 0, got " + oversampling);
        }
        if (powerIterations < 0) {
            throw new IllegalArgumentException("randomized SVD power iterations must be at least 0, got "
                    + powerIterations);
        }
    }

    /** Rank {@code r} with the defaults: oversampling 10, 2 power iterations, seed 0. */
    public static RandomizedSvdOptions rank(int r) {
        return new RandomizedSvdOptions(r, DEFAULT_OVERSAMPLING, DEFAULT_POWER_ITERATIONS, 0);
    }

    /** These options with another seed. */
    public RandomizedSvdOptions withSeed(long newSeed) {
        return new RandomizedSvdOptions(rank, oversampling, powerIterations, newSeed);
    }

    /** These options with another number of power iterations. */
    public RandomizedSvdOptions withPowerIterations(int q) {
        return new RandomizedSvdOptions(rank, oversampling, q, seed);
    }

    /** These options with another oversampling. */
    public RandomizedSvdOptions withOversampling(int p) {
        return new RandomizedSvdOptions(rank, p, powerIterations, seed);
    }
}
