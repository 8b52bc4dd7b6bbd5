package dev.graft.algorithms.spectral;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.Svd;
import dev.graft.linalg.SymmetricEigen;

import java.lang.foreign.MemorySegment;

/**
 * The top singular triplets of an m × n matrix {@code a} through the eigendecomposition of its Gram matrix on the
 * thin side: for m ≥ n, {@code aᵀa = V·diag(σ²)·Vᵀ} and {@code U = a·V·diag(1/σ)} (a wide matrix is handled as
 * its transpose). The Gram product is one GEMM and the symmetric eigensolver ({@code ssyevd}) takes a fraction of
 * {@code sgesdd}'s time on the same r × r, r = min(m, n) (docs/benchmarks.md has the figures).
 *
 * <p>The price is precision: forming {@code aᵀa} in float32 puts an error of the order of {@code u·σ₁²} (u the
 * unit roundoff) on every eigenvalue, so the j-th triplet comes out with a relative error of about
 * {@code δⱼ = u·σ₁²/σⱼ²} (the classic reason an SVD is not computed from the normal equations; Higham, "Accuracy
 * and Stability of Numerical Algorithms", ch. 20). {@link #error} estimates the relative Frobenius error this
 * brings to the result from the eigenvalues themselves, {@code C·u·√(Σ wⱼδⱼ² / Σ wⱼ)}, with weights
 * {@code wⱼ = σⱼ²} when the result weighs each direction by its singular value (TSV-M) and {@code wⱼ = 1} when
 * every direction counts alike (a polar factor, an isotropic spectrum); {@code C} = {@value #SAFETY} covers the
 * GEMM's and the solver's growth (in {@code GramSvdTest} the error found against an exact double SVD stays under
 * the estimate). The caller takes another SVD when the estimate is above its tolerance.
 *
 * <p>A fine-tuning delta is a few strong directions over a flat noise floor (σ₁²/σⱼ² in the thousands), which
 * would put δ near 1e-3. So when one pass misses the tolerance, the leading directions up to a ratio of
 * {@value #SPLIT} are kept and deflated, {@code a' = a − (a·V_t)·V_tᵀ}, and the rest come from the Gram matrix of
 * a', whose own σ₁ is the noise floor's: the error of each stage is that of its own spread.
 */
final class GramSvd {
    /** float32's unit roundoff, 2⁻²⁴. */
    private static final double ROUNDOFF = 0x1p-24;
    /** The factor on the first-order estimate; see the class description. */
    static final double SAFETY = 64;
    /** The largest σ₁²/σⱼ² kept from the first pass when the second one deflates them. */
    static final double SPLIT = 100;

    private GramSvd() {
    }

    /**
     * The estimated relative Frobenius error of the Gram path for the leading {@code k} eigenvalues of one pass.
     *
     * @param eigenvalues the Gram matrix's eigenvalues σⱼ², descending
     * @param isotropic   whether every direction weighs alike (else by its singular value)
     * @return the estimate; infinite when a kept eigenvalue is not positive (a zero singular value has no
     *         direction the Gram path can recover)
     */
    static double error(float[] eigenvalues, int k, boolean isotropic) {
        double[] sums = new double[2];
        return accumulate(eigenvalues, 0, k, isotropic, sums) ? estimate(sums) : Double.POSITIVE_INFINITY;
    }

    /** Adds Σ wⱼδⱼ² and Σ wⱼ over {@code [from, to)} of one pass to {@code sums}; false if an eigenvalue is ≤ 0. */
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

    private static double estimate(double[] sums) {
        return SAFETY * ROUNDOFF * Math.sqrt(sums[0] / sums[1]);
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
        try (SymmetricEigen first = gramEigen(la, a)) {
            float[] lambda = first.values();
            if (error(lambda, k, isotropic) <= tolerance) {
                return build(la, a, first.vectors(), lambda, k, null, null, 0);
            }
            int t = 0;
            while (t < k && lambda[t] > 0 && lambda[0] / lambda[t] <= SPLIT) {
                t++;
            }
            if (t == 0 || t == k) {
                return null;
            }
            try (Matrix vt = leading(la, first.vectors(), t); Matrix deflated = deflate(la, a, vt);
                 SymmetricEigen second = gramEigen(la, deflated)) {
                float[] rest = second.values();
                double[] sums = new double[2];
                if (!accumulate(lambda, 0, t, isotropic, sums) || !accumulate(rest, 0, k - t, isotropic, sums)
                        || !(estimate(sums) <= tolerance)) {
                    return null;
                }
                return build(la, a, first.vectors(), lambda, t, deflated, second, k - t);
            }
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
