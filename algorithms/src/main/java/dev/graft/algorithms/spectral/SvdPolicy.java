package dev.graft.algorithms.spectral;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.RandomizedSvdOptions;
import dev.graft.linalg.Svd;

/**
 * Where an SVD merge takes an exact SVD and where a randomized one, for the steps that need only the top k
 * singular triplets of a matrix (TSV-M's per-task truncation, Iso-CTS's common and task-specific subspaces).
 *
 * <p>Vocabulary-shaped matrices, {@code embed_tokens} and {@code lm_head} (one side at least {@code aspect} times
 * the other and the short side above {@code exactBelow}: 32k–256k rows against 2k–8k columns), take the randomized
 * SVD of {@link LinearAlgebra#randomizedSvd} with its energy check ({@link RandomizedSvdOptions#rank}: power
 * iterations go on while they still add 2e-4 of ‖a‖² to the captured energy), as the LoRA extraction does: an exact
 * SVD of a 128k × 4096 matrix needs a 2 GiB left factor and LAPACK workspace of the same order beside the matrix.
 * Every other matrix, and every step that needs all singular triplets (the polar factors, Iso-C), takes the exact
 * SVD ({@code sgesdd}). The sketch's seed is fixed, so the result is deterministic.
 *
 * @param exactBelow a matrix whose short side is at most this is always decomposed exactly
 * @param aspect     a matrix whose long side is at least this many times its short side is vocabulary-shaped
 */
public record SvdPolicy(int exactBelow, int aspect) {
    /** The default: exact up to a short side of 512 (the extraction's threshold), vocabulary-shaped from 8:1. */
    public static final SvdPolicy DEFAULT = new SvdPolicy(512, 8);

    /** Checks the ranges. */
    public SvdPolicy {
        if (exactBelow < 0 || aspect < 1) {
            throw new IllegalArgumentException("SVD policy needs exactBelow >= 0 and aspect >= 1, got "
                    + exactBelow + " and " + aspect);
        }
    }

    /** Whether the top-k triplets of an m × n matrix are computed by the randomized SVD. */
    public boolean randomized(int rows, int cols, int k) {
        int small = Math.min(rows, cols);
        int large = Math.max(rows, cols);
        return small > exactBelow && large >= (long) aspect * small && k < small;
    }

    /**
     * The top {@code k} singular triplets of {@code a} (k at most min(m, n)), exact or randomized by
     * {@link #randomized}.
     */
    public Svd top(LinearAlgebra la, Matrix a, int k) {
        if (randomized(a.rows(), a.cols(), k)) {
            return la.randomizedSvd(a, RandomizedSvdOptions.rank(k));
        }
        try (Svd full = la.svd(a)) {
            return full.truncate(k);
        }
    }
}
