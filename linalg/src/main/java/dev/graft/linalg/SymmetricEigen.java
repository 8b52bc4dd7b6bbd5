package dev.graft.linalg;

/**
 * The eigendecomposition {@code a = vectors · diag(values) · vectorsᵀ} of a symmetric matrix, eigenvalues in
 * descending order.
 *
 * @param values  the eigenvalues, n, descending
 * @param vectors the orthonormal eigenvectors as columns, n × n, column j belonging to {@code values[j]}
 */
public record SymmetricEigen(float[] values, Matrix vectors) implements AutoCloseable {
    /** Checks that the factors fit together. */
    public SymmetricEigen {
        if (vectors.rows() != values.length || vectors.cols() != values.length) {
            throw new IllegalArgumentException("eigendecomposition does not fit: " + values.length
                    + " eigenvalues, vectors " + vectors.rows() + "×" + vectors.cols());
        }
        values = values.clone();
    }

    /** The eigenvalues (a copy). */
    @Override
    public float[] values() {
        return values.clone();
    }

    /** Closes the eigenvector matrix. */
    @Override
    public void close() {
        vectors.close();
    }
}
