package dev.graft.linalg;

/**
 * Parameters of a randomized truncated SVD (Halko, Martinsson and Tropp 2011, Algorithm 4.4 with a QR after every
 * product).
 *
 * <p>With an energy tolerance, {@code powerIterations} is a minimum: after it, power iterations continue (at most
 * {@value #MAX_EXTRA_ITERATIONS} more) while one more iteration still raises the energy the rank-r truncation
 * captures by at least {@code energyTolerance}·‖a‖². A matrix with a clear low-rank part stops at the minimum; one
 * with a slowly decaying spectrum, whose subspace the default two iterations leave a few 1e-3 of the energy short,
 * gets the iterations it needs.
 *
 * @param rank            the number of singular triplets wanted, r ≥ 1
 * @param oversampling    extra sketch columns p ≥ 0; the sketch has r + p columns (10 is the usual choice)
 * @param powerIterations subspace iterations q ≥ 0 (the minimum when {@code energyTolerance > 0})
 * @param seed            the seed of the Gaussian sketch: the same seed gives the same result
 * @param energyTolerance the gain, as a share of ‖a‖², below which further power iterations stop; 0 runs exactly
 *                        {@code powerIterations}
 */
public record RandomizedSvdOptions(int rank, int oversampling, int powerIterations, long seed,
                                   double energyTolerance) {
    /** The default oversampling p. */
    public static final int DEFAULT_OVERSAMPLING = 10;
    /** The default (minimum) number of power iterations q. */
    public static final int DEFAULT_POWER_ITERATIONS = 2;
    /**
     * The default energy tolerance. Measured on a 4096² delta with a 1/k spectrum plus noise at rank 64, the gap to
     * the exact truncation's energy was about three times the last iteration's gain, so this keeps it under 1e-3.
     */
    public static final double DEFAULT_ENERGY_TOLERANCE = 2e-4;
    /** The most power iterations added beyond {@code powerIterations} under an energy tolerance. */
    public static final int MAX_EXTRA_ITERATIONS = 8;

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
        if (!(energyTolerance >= 0) || energyTolerance >= 1) {
            throw new IllegalArgumentException("randomized SVD energy tolerance must be in [0, 1), got "
                    + energyTolerance);
        }
    }

    /** The given settings with the default energy tolerance. */
    public RandomizedSvdOptions(int rank, int oversampling, int powerIterations, long seed) {
        this(rank, oversampling, powerIterations, seed, DEFAULT_ENERGY_TOLERANCE);
    }

    /** Rank {@code r} with the defaults: oversampling 10, at least 2 power iterations, tolerance 2e-4, seed 0. */
    public static RandomizedSvdOptions rank(int r) {
        return new RandomizedSvdOptions(r, DEFAULT_OVERSAMPLING, DEFAULT_POWER_ITERATIONS, 0);
    }

    /** These options with another rank. */
    public RandomizedSvdOptions withRank(int r) {
        return new RandomizedSvdOptions(r, oversampling, powerIterations, seed, energyTolerance);
    }

    /** These options with another seed. */
    public RandomizedSvdOptions withSeed(long newSeed) {
        return new RandomizedSvdOptions(rank, oversampling, powerIterations, newSeed, energyTolerance);
    }

    /** These options with another number of power iterations. */
    public RandomizedSvdOptions withPowerIterations(int q) {
        return new RandomizedSvdOptions(rank, oversampling, q, seed, energyTolerance);
    }

    /** These options with another oversampling. */
    public RandomizedSvdOptions withOversampling(int p) {
        return new RandomizedSvdOptions(rank, p, powerIterations, seed, energyTolerance);
    }

    /** These options with another energy tolerance (0: exactly {@link #powerIterations()} iterations). */
    public RandomizedSvdOptions withEnergyTolerance(double tolerance) {
        return new RandomizedSvdOptions(rank, oversampling, powerIterations, seed, tolerance);
    }
}
