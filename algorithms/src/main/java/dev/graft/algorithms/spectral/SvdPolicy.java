package dev.graft.algorithms.spectral;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.RandomizedSvdOptions;
import dev.graft.linalg.Svd;

/**
 * How an SVD merge decomposes a matrix: exactly ({@code sgesdd}), through the Gram matrix of its thin side
 * ({@link GramSvd}), or by the randomized SVD ({@link LinearAlgebra#randomizedSvd}).
 *
 * <ul>
 *   <li>A matrix whose short side is at most {@code exactBelow} takes the exact SVD: it is cheap there, and the
 *       parity with an exact implementation holds to float32 round-off.</li>
 *   <li>A larger one takes the Gram path when its a-priori error estimate ({@link GramSvd#error}) is at most
 *       {@code gramTolerance}, relative in Frobenius norm: several times faster than {@code sgesdd} on a 1B
 *       model's 2048 × 5632 matrices. The default tolerance, 1e-4 of the task vector, is far below what the output
 *       can hold: a bf16 weight has 8 significant bits, so its rounding moves a weight by up to 2⁻⁹ of itself,
 *       about 0.4 of a typical fine-tuning change (task vectors are ~1% of the weights).</li>
 *   <li>Otherwise (the Gram matrix too ill-conditioned for the tolerance: a task vector whose spectrum falls off
 *       steeply, stacked singular vectors that nearly coincide) the top-k steps of a vocabulary-shaped matrix
 *       ({@code embed_tokens}, {@code lm_head}: the long side at least {@code aspect} times the short side) take
 *       the randomized SVD with its energy check ({@link RandomizedSvdOptions#rank}: power iterations go on while
 *       they still add 2e-4 of ‖a‖² to the captured energy), as the LoRA extraction does; everything else the exact
 *       SVD.</li>
 * </ul>
 * The sketch's seed is fixed, so every path is deterministic.
 *
 * @param exactBelow    a matrix whose short side is at most this is always decomposed exactly
 * @param aspect        a matrix whose long side is at least this many times its short side is vocabulary-shaped
 * @param gramTolerance the largest estimated relative error for which the Gram path is taken (0: never)
 */
public record SvdPolicy(int exactBelow, int aspect, double gramTolerance) {
    /** The default Gram tolerance: see the class description. */
    public static final double DEFAULT_GRAM_TOLERANCE = 1e-4;
    /**
     * The default: exact up to a short side of 512 (the extraction's threshold), the Gram path within 1e-4 above
     * it, vocabulary-shaped from 8:1.
     */
    public static final SvdPolicy DEFAULT = new SvdPolicy(512, 8, DEFAULT_GRAM_TOLERANCE);

    /** Checks the ranges. */
    public SvdPolicy {
        if (exactBelow < 0 || aspect < 1 || !(gramTolerance >= 0) || gramTolerance >= 1) {
            throw new IllegalArgumentException("SVD policy needs exactBelow >= 0, aspect >= 1 and gramTolerance in "
                    + "[0, 1), got " + exactBelow + ", " + aspect + " and " + gramTolerance);
        }
    }

    /** A policy with the default Gram tolerance. */
    public SvdPolicy(int exactBelow, int aspect) {
        this(exactBelow, aspect, DEFAULT_GRAM_TOLERANCE);
    }

    /** Whether the top-k triplets of an m × n matrix may come from the randomized SVD (when the Gram path does not). */
    public boolean randomized(int rows, int cols, int k) {
        int small = Math.min(rows, cols);
        int large = Math.max(rows, cols);
        return small > exactBelow && large >= (long) aspect * small && k < small;
    }

    /**
     * The top {@code k} singular triplets of {@code a} (k at most min(m, n)), for a result that weighs each
     * direction by its singular value (TSV-M's truncation).
     */
    public Svd top(LinearAlgebra la, Matrix a, int k) {
        return top(la, a, k, false);
    }

    /**
     * The top {@code k} singular triplets of {@code a}, for a result in which every kept direction weighs alike
     * (Iso-C, Iso-CTS: their spectrum is replaced by its mean), so the Gram path's tolerance is checked with equal
     * weights.
     */
    public Svd isotropicTop(LinearAlgebra la, Matrix a, int k) {
        return top(la, a, k, true);
    }

    /**
     * The polar factor of {@code a}: with {@code a = P·S·Qᵀ} its SVD, {@code P·Qᵀ}, the orthogonal (or, for a wide
     * a, row-orthonormal) matrix nearest to a in Frobenius norm. TSV-M and Iso-CTS "whiten" their stacked singular
     * vectors with it, as the authors' code does with {@code torch.linalg.svd}.
     */
    public Matrix polar(LinearAlgebra la, Matrix a) {
        try (Svd svd = isotropicTop(la, a, Math.min(a.rows(), a.cols()))) {
            return la.multiply(svd.u(), false, svd.vt(), false);
        }
    }

    /**
     * Whether the Gram path is worth trying. Not when all of a near-square matrix's directions weigh alike (a polar
     * factor, Iso-C's sum): its smallest singular value sits near the Marchenko–Pastur edge
     * {@code (1 − √(short/long))·scale}, close to 0 there, so the estimate would fail after an eigendecomposition
     * spent for nothing.
     */
    private boolean tryGram(int rows, int cols, int k, boolean isotropic) {
        int small = Math.min(rows, cols);
        int large = Math.max(rows, cols);
        return small > exactBelow && gramTolerance > 0 && !(isotropic && k == small && small > NEAR_SQUARE * large);
    }

    /** The shape ratio above which {@link #tryGram} skips a full-rank isotropic decomposition. */
    private static final double NEAR_SQUARE = 0.8;

    private Svd top(LinearAlgebra la, Matrix a, int k, boolean isotropic) {
        if (tryGram(a.rows(), a.cols(), k, isotropic)) {
            Svd gram = GramSvd.top(la, a, k, isotropic, gramTolerance);
            if (gram != null) {
                return gram;
            }
        }
        if (randomized(a.rows(), a.cols(), k)) {
            return la.randomizedSvd(a, RandomizedSvdOptions.rank(k));
        }
        Svd full = la.svd(a);
        if (k == full.rank()) {
            return full;
        }
        try (full) {
            return full.truncate(k);
        }
    }
}
