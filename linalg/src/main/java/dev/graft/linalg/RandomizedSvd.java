package dev.graft.linalg;

/**
 * Halko, Martinsson and Tropp's randomized truncated SVD ("Finding structure with randomness", SIAM Review 2011,
 * Algorithms 4.4 and 5.1), written on the backend's primitives so every backend shares it.
 */
final class RandomizedSvd {
    private RandomizedSvd() {
    }

    static Svd compute(LinearAlgebra la, Matrix a, RandomizedSvdOptions options) {
        int m = a.rows();
        int n = a.cols();
        int full = Math.min(m, n);
        int rank = Math.min(options.rank(), full);
        int sketch = rank + options.oversampling();
        if (sketch >= full) {
            // The sketch would span the whole space: the exact SVD costs no more and is exact.
            try (Svd exact = la.svd(a)) {
                return exact.truncate(rank);
            }
        }
        Matrix q;
        try (Matrix omega = la.gaussian(n, sketch, options.seed());
             Matrix y = la.multiply(a, false, omega, false)) {
            q = la.orthonormalBasis(y);
        }
        for (int i = 0; i < options.powerIterations(); i++) {
            // Re-orthonormalizing after each product keeps the small singular directions from drowning in
            // round-off (Algorithm 4.4).
            Matrix qz;
            try (Matrix z = la.multiply(a, true, q, false)) {
                qz = la.orthonormalBasis(z);
            }
            try (qz; Matrix y = la.multiply(a, false, qz, false)) {
                q.close();
                q = la.orthonormalBasis(y);
            }
        }
        Matrix basis = q;
        try (basis; Matrix b = la.multiply(basis, true, a, false); Svd small = la.svd(b)) {
            Matrix u = la.multiply(basis, false, small.u(), false);
            try (Svd lifted = new Svd(u, small.s(), small.vt().copy())) {
                return lifted.truncate(rank);
            }
        }
    }
}
