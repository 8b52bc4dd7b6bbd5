package dev.graft.linalg;

import java.lang.foreign.MemorySegment;
import java.util.ServiceLoader;

/**
 * Dense float32 linear algebra: the one interface through which Graft does matrix products and decompositions,
 * so that another backend (a GPU one, say) drops in without touching the algorithms.
 *
 * <p>{@link #get()} returns the backend: the one named by the system property {@value #BACKEND_PROPERTY} among
 * those registered with {@link ServiceLoader}, or else the default, ND4J with its OpenBLAS (GEMM, LAPACK
 * {@code sgesdd} and {@code sgeqrf}; one thread per call unless {@code -Dgraft.blas.threads=N}). Two names are
 * not backends' own: {@code cpu} is the default, and
 * {@code auto} is the {@code cuda} backend (module {@code graft-linalg-cuda}) when its libraries and a GPU load,
 * else the default after a one-line note on standard error.
 *
 * <pre>{@code
 * LinearAlgebra la = LinearAlgebra.get();
 * try (Matrix delta = la.zeros(4096, 4096)) {
 *     // ... fill delta.data() ...
 *     try (Svd svd = la.randomizedSvd(delta, RandomizedSvdOptions.rank(64))) {
 *         double kept = svd.energy(64) / delta.frobeniusNormSquared();
 *     }
 * }
 * }</pre>
 */
public interface LinearAlgebra {
    /** The system property that selects a backend by {@link #name()}. */
    String BACKEND_PROPERTY = "graft.linalg.backend";

    /** The backend: see the class description. */
    static LinearAlgebra get() {
        return Backends.selected();
    }

    /**
     * The backend a {@value #BACKEND_PROPERTY} value names, loaded, without remembering it for {@link #get()}.
     *
     * @param wanted a backend name, {@code cpu}, {@code auto}, or null for the default
     * @param notes  receives the one-line note when {@code auto} falls back to the CPU
     * @throws LinearAlgebraException if no backend has that name or the named one cannot load
     */
    static LinearAlgebra select(String wanted, java.util.function.Consumer<String> notes) {
        return Backends.choose(wanted, notes);
    }

    /**
     * Makes the backend {@code wanted} names (as {@link #select}) the one {@link #get()} returns from now on: how a
     * command-line option overrides {@value #BACKEND_PROPERTY}. Work already holding another backend's matrices
     * keeps them.
     *
     * @return the backend now in use
     * @throws LinearAlgebraException if no backend has that name or the named one cannot load; the previous choice
     *                                stays
     */
    static LinearAlgebra use(String wanted, java.util.function.Consumer<String> notes) {
        return Backends.use(wanted, notes);
    }

    /**
     * Loads the backend's native libraries now, so that a missing library or device shows at selection rather
     * than at the first product. The default does nothing: a backend that loads in its factory has nothing left.
     *
     * @throws LinearAlgebraException naming what is missing
     */
    default void load() {
    }

    /** The backend's name, for {@value #BACKEND_PROPERTY} and reports (e.g. {@code nd4j}). */
    String name();

    /** A new rows × cols matrix of zeros. */
    Matrix zeros(int rows, int cols);

    /**
     * A new matrix holding a copy of {@code rowMajor}.
     *
     * @throws IllegalArgumentException if the array length is not rows × cols
     */
    default Matrix of(float[] rowMajor, int rows, int cols) {
        if (rowMajor.length != (long) rows * cols) {
            throw new IllegalArgumentException(rowMajor.length + " values cannot fill a " + rows + "×" + cols
                    + " matrix");
        }
        Matrix m = zeros(rows, cols);
        MemorySegment.copy(rowMajor, 0, m.data(), Matrix.ELEMENT, 0, rowMajor.length);
        return m;
    }

    /**
     * The product op(a) · op(b), where op transposes when asked, as a new matrix.
     *
     * @throws LinearAlgebraException if the inner dimensions differ
     */
    Matrix multiply(Matrix a, boolean transposeA, Matrix b, boolean transposeB);

    /**
     * An orthonormal basis of the column space of {@code a} (m × n): the Q of a thin QR decomposition,
     * m × min(m, n). When {@code a} has full column rank, Q spans exactly its columns.
     */
    Matrix orthonormalBasis(Matrix a);

    /**
     * The exact thin SVD of {@code a} (m × n): u is m × k, vt is k × n, k = min(m, n). {@code a} is not changed.
     *
     * @throws LinearAlgebraException if the decomposition does not converge
     */
    Svd svd(Matrix a);

    /**
     * The eigendecomposition of a symmetric positive semi-definite matrix, such as a Gram matrix {@code aᵀ·a}: for
     * such a matrix it is its SVD with {@code u = v}, and LAPACK's symmetric solver ({@code ssyevd}) takes a fraction
     * of the time of {@code sgesdd} on the same n × n. Only the upper triangle is read. The default takes the SVD,
     * which agrees for a positive semi-definite {@code a}; a backend with a symmetric solver overrides it.
     *
     * @throws LinearAlgebraException if {@code a} is not square or the decomposition does not converge
     */
    default SymmetricEigen symmetricEigen(Matrix a) {
        if (a.rows() != a.cols()) {
            throw new LinearAlgebraException("an eigendecomposition needs a square matrix, got " + a.rows() + "×"
                    + a.cols());
        }
        try (Svd svd = svd(a)) {
            return new SymmetricEigen(svd.s(), svd.u().copy());
        }
    }

    /**
     * A randomized truncated SVD of {@code a} (Halko–Martinsson–Tropp): a Gaussian sketch of r + p columns,
     * q power iterations with a QR after each product, then the exact SVD of the small projected matrix. Its cost
     * is a few GEMMs of a by an (r + p)-column matrix, instead of an O(mn·min(m, n)) full SVD. When the sketch
     * would span the whole space (r + p ≥ min(m, n)) the exact SVD is computed and truncated instead.
     *
     * @return the first min(r, m, n) singular triplets
     */
    default Svd randomizedSvd(Matrix a, RandomizedSvdOptions options) {
        return RandomizedSvd.compute(this, a, options);
    }

    /**
     * A rows × cols matrix of independent standard normal values, fully determined by {@code seed} (the same on
     * every backend and thread count).
     */
    default Matrix gaussian(int rows, int cols, long seed) {
        Matrix m = zeros(rows, cols);
        GaussianFill.fill(m.data(), (long) rows * cols, seed);
        return m;
    }
}
