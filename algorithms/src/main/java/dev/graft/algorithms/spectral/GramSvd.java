package dev.graft.algorithms.spectral;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.RandomizedSvdOptions;
import dev.graft.linalg.Svd;
import dev.graft.linalg.SymmetricEigen;

import java.lang.foreign.MemorySegment;

/**
 * The top singular triplets of an m × n matrix {@code a} through the eigendecomposition of its Gram matrix on the
 * thin side: for m ≥ n, {@code aᵀa = V·diag(σ²)·Vᵀ} and {@code U = a·V·diag(1/σ)} (a wide matrix is handled as
 * its transpose). The Gram product is one GEMM and the symmetric eigensolver ({@code ssyevd}) takes a fraction of
 * {@code sgesdd}'s time on the same r × r, r = min(m, n) (docs/benchmarks.md has the figures).
 *
 * <p>The price is precision. The computed eigenpairs are exact for {@code aᵀa + E}, where E gathers the GEMM's
 * rounding and {@code ssyevd}'s backward error, and E's size depends on the order of the additions (OpenBLAS's
 * blocking and thread count). {@link #error} estimates the relative Frobenius error E brings to the result from the
 * eigenvalues σⱼ² themselves, as the root sum of squares of two terms, with weights {@code wⱼ = σⱼ²} when the
 * result weighs each direction by its singular value (TSV-M) and {@code wⱼ = 1} when every direction counts alike
 * (a polar factor, an isotropic spectrum):
 * <ul>
 *   <li>the eigenvalues' own error, {@code C·u·√(Σ wⱼδⱼ² / Σ wⱼ)} with {@code δⱼ = σ₁²/σⱼ²} (u the unit
 *       roundoff; the classic reason an SVD is not computed from the normal equations; Higham, "Accuracy and
 *       Stability of Numerical Algorithms", ch. 20), {@code C} = {@value #SAFETY};</li>
 *   <li>when only the top k of the r directions are kept, the mixing of kept and dropped directions across the
 *       cut, first-order perturbation theory (Stewart and Sun, "Matrix Perturbation Theory", ch. V):
 *       {@code θᵢⱼ = Eᵢⱼ/(σⱼ² − σᵢ²)} for j ≤ k < i, which moves the result by
 *       {@code √(Σ θᵢⱼ²·wⱼ·(1 + σᵢ²/σⱼ²) / Σ wⱼ)}. E's entries in the eigenbasis are taken as independent with
 *       root mean square {@code ρ = u·√(σ₁⁴ + (tr(aᵀa)/r)²·(m + 3)/(6m))}: the first part the solver's (E's measured
 *       root mean square, GEMM included, was 0.52–0.67·u·σ₁² at r = 200–400; 1 leaves room), the second the GEMM's over an inner dimension m under the standard
 *       model of independent roundings — for any order of the m − 1 additions the partial sums' squared sizes
 *       add up to at most those of the sequential sum, m(m + 1)/2 terms' worth — so it holds at any thread
 *       count.</li>
 * </ul>
 * The cut term is what makes a truncation sensitive to the thread count: where σₖ and σₖ₊₁ nearly coincide a
 * different rounding of the same Gram matrix rotates the cut differently (in {@code GramSvdTest}, a 200 × 600
 * matrix with a relative gap of 3e-4 at k = 66 measured 2.1e-5 at one BLAS thread and 4.4e-6 at two, both under
 * the estimate, 2.9e-5). The caller takes another SVD when the estimate is above its tolerance.
 *
 * <p>A fine-tuning delta is a few strong directions over a flat noise floor (σ₁²/σⱼ² in the thousands), which
 * would put δ near 1e-3. So a randomized SVD of rank {@value #SPIKE_PROBE} first looks for leading directions
 * that stand clear of the rest (a gap of {@value #SPIKE_GAP} in σ after them); they are kept and deflated,
 * {@code a' = a − (a·V_t)·V_tᵀ}, and the rest come from the Gram matrix of a', whose own σ₁ is the noise floor's:
 * the error of each part is that of its own spread, plus the sketch's {@code (σ_t+1/σ_t)^(2q+1)} on the deflated
 * directions.
 */
final class GramSvd {
    /** float32's unit roundoff, 2⁻²⁴. */
    private static final double ROUNDOFF = 0x1p-24;
    /** The factor on the eigenvalues' first-order estimate; see the class description. */
    static final double SAFETY = 64;
    /** The largest σ₁²/σⱼ² among the deflated leading directions. */
    static final double SPLIT = 100;
    /** The rank of the randomized probe that looks for leading directions to deflate. */
    static final int SPIKE_PROBE = 16;
    /** The power iterations of that probe. */
    static final int SPIKE_POWER_ITERATIONS = 3;
    /** The least ratio σ_t/σ_t+1 after the deflated directions. */
    static final double SPIKE_GAP = 8;

    private GramSvd() {
    }

    /**
     * The estimated relative Frobenius error of the Gram path for the leading {@code k} eigenvalues of one pass.
     *
     * @param eigenvalues the Gram matrix's eigenvalues σⱼ², all r of them, descending
     * @param inner       the Gram product's inner dimension m (the long side of the matrix)
     * @param isotropic   whether every direction weighs alike (else by its singular value)
     * @return the estimate; infinite when a kept eigenvalue is not positive (a zero singular value has no
     *         direction the Gram path can recover) or equals the first dropped one
     */
    static double error(float[] eigenvalues, int k, int inner, boolean isotropic) {
        double[] sums = new double[3];
        return accumulate(eigenvalues, 0, k, isotropic, sums) && cut(eigenvalues, 0, k, inner, isotropic, sums)
                ? estimate(sums) : Double.POSITIVE_INFINITY;
    }

    /**
     * Adds Σ wⱼδⱼ² and Σ wⱼ over {@code [from, to)} of one pass to {@code sums[0]} and {@code sums[1]}; false if an
     * eigenvalue is ≤ 0.
     */
    private static boolean accumulate(float[] eigenvalues, int from, int to, boolean isotropic, double[] sums) {
        double top = eigenvalues[0];
        for (int j = from; j < to; j++) {
            double lambda = eigenvalues[j];
            if (!(lambda > 0)) {
                return false;
            }
            double w = isotropic ? 1 : lambda;
            double delta = top / lambda;
            sums[0] += w * delta * delta;
            sums[1] += w;
        }
        return true;
    }

    /**
     * Adds the cut term's Σ ρ²·θ-weights over the kept {@code [from, to)} against the dropped {@code [to, r)} of one
     * pass to {@code sums[2]}; false if a kept eigenvalue equals a dropped one (the cut is not defined).
     */
    private static boolean cut(float[] eigenvalues, int from, int to, int inner, boolean isotropic, double[] sums) {
        int r = eigenvalues.length;
        if (to >= r) {
            return true;
        }
        double top = eigenvalues[0];
        double trace = 0;
        for (float lambda : eigenvalues) {
            trace += Math.max(lambda, 0);
        }
        double mean = trace / r;
        double rho2 = ROUNDOFF * ROUNDOFF * (top * top + mean * mean * (inner + 3.0) / (6.0 * inner));
        double sum = 0;
        for (int j = from; j < to; j++) {
            double lj = eigenvalues[j];
            double w = isotropic ? 1 : lj;
            for (int i = to; i < r; i++) {
                double li = Math.max(eigenvalues[i], 0);
                double gap = lj - li;
                if (!(gap > 0)) {
                    return false;
                }
                sum += w * (1 + li / lj) / (gap * gap);
            }
        }
        sums[2] += rho2 * sum;
        return true;
    }

    private static double estimate(double[] sums) {
        double first = SAFETY * ROUNDOFF;
        return Math.sqrt((first * first * sums[0] + sums[2]) / sums[1]);
    }

    /**
     * The top {@code k} singular triplets of {@code a} by the Gram path, or null when the estimated error is above
     * {@code tolerance} (nothing is left open then).
     */
    static Svd top(LinearAlgebra la, Matrix a, int k, boolean isotropic, double tolerance) {
        if (a.rows() >= a.cols()) {
            return tall(la, a, k, isotropic, tolerance);
        }
        try (Matrix at = a.transpose(); Svd svd = tall(la, at, k, isotropic, tolerance)) {
            return svd == null ? null : new Svd(svd.vt().transpose(), svd.s(), svd.u().transpose());
        }
    }

    private static Svd tall(LinearAlgebra la, Matrix a, int k, boolean isotropic, double tolerance) {
        Spike found = spike(la, a, k);
        if (found == null) {
            try (SymmetricEigen eigen = gramEigen(la, a)) {
                float[] lambda = eigen.values();
                return error(lambda, k, a.rows(), isotropic) <= tolerance
                        ? build(la, a, eigen.vectors(), lambda, k, null, null, 0) : null;
            }
        }
        Svd spike = found.svd();
        int t = spike.rank();
        float[] s = spike.s();
        float[] lambda = new float[t];
        for (int j = 0; j < t; j++) {
            lambda[j] = s[j] * s[j];
        }
        try (spike; Matrix v = spike.vt().transpose(); Matrix deflated = deflate(la, a, v);
             SymmetricEigen second = gramEigen(la, deflated)) {
            double[] sums = new double[3];
            float[] rest = second.values();
            if (!accumulate(lambda, 0, t, isotropic, sums) || !accumulate(rest, 0, k - t, isotropic, sums)
                    || !cut(rest, 0, k - t, a.rows(), isotropic, sums)) {
                return null;
            }
            // The sketch's own error on the spike's directions, (σ_t+1/σ_t)^(2q+1) (Halko et al., §10), in the
            // same units as the round-off terms.
            double sketch = Math.pow(found.gap(), -(2 * SPIKE_POWER_ITERATIONS + 1)) / (SAFETY * ROUNDOFF);
            sums[0] += (isotropic ? t : energy(lambda)) * sketch * sketch;
            if (!(estimate(sums) <= tolerance)) {
                return null;
            }
            return build(la, a, v, lambda, t, deflated, second, k - t);
        }
    }

    /** Leading directions to deflate, and the ratio σ_t/σ_t+1 after them. */
    private record Spike(Svd svd, double gap) {
    }

    private static double energy(float[] lambda) {
        double sum = 0;
        for (float l : lambda) {
            sum += l;
        }
        return sum;
    }

    /**
     * The leading directions of {@code a} that stand clear of the rest — a gap of at least {@value #SPIKE_GAP} in
     * singular value after them, all within σ₁²/σⱼ² ≤ {@value #SPLIT} — from a randomized SVD of rank
     * {@value #SPIKE_PROBE} (a few thin GEMMs), or null when there is none (or fewer than k directions would be
     * left). Found this way, the deflation costs one eigendecomposition, not two.
     */
    private static Spike spike(LinearAlgebra la, Matrix a, int k) {
        int n = a.cols();
        if (k <= 1 || n < 4 * (SPIKE_PROBE + RandomizedSvdOptions.DEFAULT_OVERSAMPLING)) {
            return null;
        }
        try (Svd probe = la.randomizedSvd(a, new RandomizedSvdOptions(SPIKE_PROBE,
                RandomizedSvdOptions.DEFAULT_OVERSAMPLING, SPIKE_POWER_ITERATIONS, 0, 0))) {
            float[] s = probe.s();
            int best = 0;
            double bestGap = 0;
            for (int t = 1; t < Math.min(s.length, k); t++) {
                double spread = (double) s[0] * s[0] / ((double) s[t - 1] * s[t - 1]);
                if (!(s[t] > 0) || spread > SPLIT) {
                    break;
                }
                double gap = s[t - 1] / s[t];
                if (gap > bestGap) {
                    bestGap = gap;
                    best = t;
                }
            }
            if (bestGap < SPIKE_GAP) {
                return null;
            }
            return new Spike(probe.truncate(best), bestGap);
        }
    }

    /** The eigendecomposition of {@code aᵀa}, the Gram matrix closed as soon as it is decomposed. */
    private static SymmetricEigen gramEigen(LinearAlgebra la, Matrix a) {
        try (Matrix gram = la.multiply(a, true, a, false)) {
            return la.symmetricEigen(gram);
        }
    }

    /** {@code a − (a·v)·vᵀ}: a with the directions v (n × t, orthonormal) projected out. */
    private static Matrix deflate(LinearAlgebra la, Matrix a, Matrix v) {
        try (Matrix av = la.multiply(a, false, v, false); Matrix back = la.multiply(av, false, v, true)) {
            return Factors.difference(a, back);
        }
    }

    /** The first {@code k} columns of {@code vectors}, as a new n × k matrix. */
    private static Matrix leading(LinearAlgebra la, Matrix vectors, int k) {
        Matrix out = la.zeros(vectors.rows(), k);
        Factors.putColumns(vectors, k, out, 0);
        return out;
    }

    /**
     * The triplets: {@code t} from the first pass's vectors (columns of U from {@code a}), then {@code rest} from
     * the second pass's (from the deflated matrix), {@code U = a·V·diag(1/σ)}.
     */
    private static Svd build(LinearAlgebra la, Matrix a, Matrix vectors, float[] lambda, int t, Matrix deflated,
                             SymmetricEigen second, int rest) {
        int k = t + rest;
        int n = a.cols();
        float[] s = new float[k];
        try (Matrix v = la.zeros(n, k)) {
            Factors.putColumns(vectors, t, v, 0);
            for (int j = 0; j < t; j++) {
                s[j] = (float) Math.sqrt(lambda[j]);
            }
            Matrix u = la.multiply(a, false, v, false);
            if (rest > 0) {
                float[] more = second.values();
                try (Matrix v2 = leading(la, second.vectors(), rest);
                     Matrix u2 = la.multiply(deflated, false, v2, false)) {
                    for (int j = 0; j < rest; j++) {
                        s[t + j] = (float) Math.sqrt(more[j]);
                    }
                    placeColumns(v2, v, t);
                    placeColumns(u2, u, t);
                }
            }
            scaleColumns(u, s);
            return new Svd(u, s, v.transpose());
        }
    }

    /** All columns of {@code src} into {@code dst} from column {@code at}. */
    private static void placeColumns(Matrix src, Matrix dst, int at) {
        Factors.putColumns(src, src.cols(), dst, at);
    }

    /** Column j of {@code a} divided by {@code s[j]}, in place. */
    private static void scaleColumns(Matrix a, float[] s) {
        MemorySegment d = a.data();
        int cols = a.cols();
        float[] inverse = new float[cols];
        for (int j = 0; j < cols; j++) {
            inverse[j] = 1 / s[j];
        }
        for (long r = 0; r < a.rows(); r++) {
            for (int c = 0; c < cols; c++) {
                long i = r * cols + c;
                d.setAtIndex(Matrix.ELEMENT, i, d.getAtIndex(Matrix.ELEMENT, i) * inverse[c]);
            }
        }
    }
}
