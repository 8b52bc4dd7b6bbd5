package dev.graft.linalg;

/**
 * Halko, Martinsson and Tropp's randomized truncated SVD ("Finding structure with randomness", SIAM Review 2011,
 * Algorithms 4.4 and 5.1), written on the backend's primitives so every backend shares it; with an energy tolerance,
 * the power iterations continue while they still raise the captured energy (see {@link RandomizedSvdOptions}).
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
            q = iterate(la, a, q);
        }
        Svd small = project(la, a, q);
        if (options.energyTolerance() > 0) {
            double gainFloor = options.energyTolerance() * a.frobeniusNormSquared();
            double captured = small.energy(rank);
            for (int extra = 0; extra < RandomizedSvdOptions.MAX_EXTRA_ITERATIONS; extra++) {
                q = iterate(la, a, q);
                Svd next = project(la, a, q);
                double gain = next.energy(rank) - captured;
                small.close();
                small = next;
                captured = next.energy(rank);
                if (gain < gainFloor) {
                    break;
                }
            }
        }
        Matrix basis = q;
        try (basis; Svd projected = small) {
            Matrix u = la.multiply(basis, false, projected.u(), false);
            try (Svd lifted = new Svd(u, projected.s(), projected.vt().copy())) {
                return lifted.truncate(rank);
            }
        }
    }

    /**
     * One power iteration from the orthonormal basis {@code q} (closed here): Q ← orth(a · orth(aᵀ · q)).
     * Re-orthonormalizing after each product keeps the small singular directions from drowning in round-off
     * (Algorithm 4.4).
     */
    private static Matrix iterate(LinearAlgebra la, Matrix a, Matrix q) {
        Matrix qz;
        try (q; Matrix z = la.multiply(a, true, q, false)) {
            qz = la.orthonormalBasis(z);
        }
        try (qz; Matrix y = la.multiply(a, false, qz, false)) {
            return la.orthonormalBasis(y);
        }
    }

    /** The exact SVD of the small projected matrix qᵀ · a. */
    private static Svd project(LinearAlgebra la, Matrix a, Matrix q) {
        try (Matrix b = la.multiply(q, true, a, false)) {
            return la.svd(b);
        }
    }
}
